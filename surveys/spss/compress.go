package spss

import (
	"encoding/binary"
	"io"
	"math"
)

// Bytecode compression (PSPP's System File Format, "Data Record"): data are
// written in blocks of eight one-byte opcodes followed by the 8-byte units
// that some opcodes announce.
const (
	opPad    = 0   // ignored; fills the last block
	opRaw    = 253 // an uncompressed unit follows
	opBlanks = 254 // eight spaces
	opSysMis = 255 // system-missing
	// Integers from 1-bias to 251-bias are stored as opcode value+bias.
	minCompressible = 1 - compressionBias
	maxCompressible = 251 - compressionBias
)

// compressor buffers one block, so memory stays at 72 bytes whatever the
// number of cases.
type compressor struct {
	ops  [8]byte
	nops int
	data [64]byte
	nd   int // bytes used in data
}

// writeCase compresses one uncompressed case image; numeric says which of
// its 8-byte units hold numbers (the others hold string bytes).
func (c *compressor) writeCase(w io.Writer, img []byte, numeric []bool) error {
	for u, isNum := range numeric {
		unit := img[u*8 : u*8+8]
		var op byte = opRaw
		if isNum {
			f := math.Float64frombits(binary.LittleEndian.Uint64(unit))
			switch {
			case f == sysmis:
				op = opSysMis
			case f >= minCompressible && f <= maxCompressible && f == math.Trunc(f):
				op = byte(int(f) + compressionBias)
			}
		} else if string(unit) == "        " {
			op = opBlanks
		}
		if err := c.put(w, op, unit); err != nil {
			return err
		}
	}
	return nil
}

// put adds one opcode, and the unit too when the opcode is opRaw, writing
// out the block when it is full.
func (c *compressor) put(w io.Writer, op byte, unit []byte) error {
	c.ops[c.nops] = op
	c.nops++
	if op == opRaw {
		c.nd += copy(c.data[c.nd:], unit)
	}
	if c.nops == len(c.ops) {
		return c.flush(w)
	}
	return nil
}

// flush writes the buffered block, padding its opcodes with opPad.
func (c *compressor) flush(w io.Writer) error {
	if c.nops == 0 {
		return nil
	}
	clear(c.ops[c.nops:])
	if _, err := w.Write(c.ops[:]); err != nil {
		return err
	}
	if _, err := w.Write(c.data[:c.nd]); err != nil {
		return err
	}
	c.nops, c.nd = 0, 0
	return nil
}
