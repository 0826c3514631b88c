package xport

import "bytes"

// readMember reads the headers and variable descriptions of the member
// whose header record is at off, and finds where its observations end.
func (d *decoder) readMember(off int) (*member, error) {
	d.member = ""
	m := &member{headerAt: off, table: &Table{Version: d.version}}
	rec, err := d.expectHeader(off, "MEMBER", "MEMBV8")
	if err != nil {
		return nil, err
	}
	// "...!!!!!!!000000000000000001600000000140  ": the NAMESTR length is
	// in bytes 75–78, 140 (136 on VAX/VMS).
	nlen, err := d.number(off+74, rec[74:78], "NAMESTR length")
	if err != nil {
		return nil, err
	}
	if nlen != 140 && nlen != 136 {
		return nil, d.errorf(off+74, "", ErrMalformed, "the NAMESTR length is %d, not 140 (or 136 on VAX/VMS)", nlen)
	}
	off += recLen
	if _, err := d.expectHeader(off, "DSCRPTR", "DSCPTV8"); err != nil {
		return nil, err
	}
	off += recLen
	if err := d.descriptor(off, m.table); err != nil {
		return nil, err
	}
	off += 2 * recLen
	d.member = m.table.Name
	rec, err = d.expectHeader(off, "NAMESTR", "NAMSTV8")
	if err != nil {
		return nil, err
	}
	count, err := d.number(off+48, rec[48:58], "variable count")
	if err != nil {
		return nil, err
	}
	off += recLen
	if off, err = d.namestrs(off, count, nlen, m.table); err != nil {
		return nil, err
	}
	if off, err = d.labelsAndObsHeader(off, m.table); err != nil {
		return nil, err
	}
	m.obsStart = off
	if m.obsLength, err = d.layout(m); err != nil {
		return nil, err
	}
	m.obsEnd = d.nextMember(off)
	return m, nil
}

// descriptor reads the two member descriptor records at off.
func (d *decoder) descriptor(off int, t *Table) error {
	rec, err := d.record(off, "member descriptor")
	if err != nil {
		return err
	}
	// Version 5: "SAS     " name(8) "SASDATA " version(8) os(8) blanks(24) created(16).
	// Version 8: "SAS     " name(32) "SASDATA " version(8) os(8) created(16).
	nameEnd, rest := 16, 24
	if d.version == 8 {
		nameEnd, rest = 40, 48
	}
	if t.Name, err = d.field(off+8, rec[8:nameEnd], "", "member name"); err != nil {
		return err
	}
	if t.Name == "" {
		return d.errorf(off+8, "", ErrMalformed, "the member name is blank")
	}
	t.SASVersion, _ = d.text(rec[rest : rest+8])
	t.OS, _ = d.text(rec[rest+8 : rest+16])
	t.Created, _ = d.text(rec[64:80])
	rec, err = d.record(off+recLen, "second member descriptor")
	if err != nil {
		return err
	}
	t.Modified, _ = d.text(rec[0:16])
	if t.Label, err = d.field(off+recLen+32, rec[32:72], "", "dataset label"); err != nil {
		return err
	}
	t.Type, _ = d.text(rec[72:80])
	return nil
}

// namestrs reads count NAMESTR records of nlen bytes from off and returns
// the offset of the record after them (they are padded to 80 bytes).
func (d *decoder) namestrs(off, count, nlen int, t *Table) (int, error) {
	if count > MaxVariables {
		return 0, d.errorf(off-recLen+48, "", ErrLimit, "the member declares %d variables, more than the limit %d", count, MaxVariables)
	}
	if count*nlen > len(d.data)-off {
		return 0, d.errorf(len(d.data), "", ErrTruncated, "the file ends inside the NAMESTR records: %d variables of %d bytes need %d bytes, %d are left", count, nlen, count*nlen, len(d.data)-off)
	}
	t.Columns = make([]Column, count)
	for i := range t.Columns {
		if err := d.namestr(off+i*nlen, d.data[off+i*nlen:off+(i+1)*nlen], &t.Columns[i]); err != nil {
			return 0, err
		}
	}
	return roundUp(off + count*nlen), nil
}

func roundUp(off int) int { return (off + recLen - 1) / recLen * recLen }

// namestr decodes one NAMESTR record (TS-140):
//
//	 0 ntype   short   1 numeric, 2 character
//	 2 nhfun   short   hash of name (0)
//	 4 nlng    short   length in the observation
//	 6 nvar0   short   variable number
//	 8 nname   char8   name
//	16 nlabel  char40  label
//	56 nform   char8   format name
//	64 nfl     short   format width
//	66 nfd     short   format decimals
//	68 nfj     short   justification
//	70 nfill   char2
//	72 niform  char8   informat name
//	80 nifl    short   informat width
//	82 nifd    short   informat decimals
//	84 npos    long    position in the observation
//	88 longname char32 (version 8) long name
//	120 lablen short   (version 8) label length; > 40: in the LABELV8/V9 records
func (d *decoder) namestr(off int, b []byte, c *Column) error {
	var err error
	if c.Name, err = d.field(off+8, b[8:16], "", "variable name"); err != nil {
		return err
	}
	if d.version == 8 {
		long, err := d.field(off+88, b[88:120], c.Name, "long variable name")
		if err != nil {
			return err
		}
		if long != "" {
			c.Name = long
		}
	}
	if c.Name == "" {
		return d.errorf(off+8, "", ErrMalformed, "variable %d has a blank name", be16(b[6:8]))
	}
	switch Type(be16(b[0:2])) {
	case Numeric:
		c.Type = Numeric
	case Char:
		c.Type = Char
	default:
		return d.errorf(off, c.Name, ErrMalformed, "the variable type is %d, not 1 (numeric) or 2 (character)", be16(b[0:2]))
	}
	c.Length = be16(b[4:6])
	if c.Type == Numeric && (c.Length < 2 || c.Length > 8) {
		return d.errorf(off+4, c.Name, ErrMalformed, "a numeric variable has length %d: it must be 2 to 8 bytes", c.Length)
	}
	if c.Type == Char && (c.Length < 1 || c.Length > MaxCharLength) {
		return d.errorf(off+4, c.Name, ErrMalformed, "a character variable has length %d: it must be 1 to %d bytes", c.Length, MaxCharLength)
	}
	if c.Label, err = d.field(off+16, b[16:56], c.Name, "variable label"); err != nil {
		return err
	}
	name, _ := d.text(b[56:64])
	c.Format = Format{Name: name, Width: be16(b[64:66]), Decimals: be16(b[66:68])}
	name, _ = d.text(b[72:80])
	c.Informat = Format{Name: name, Width: be16(b[80:82]), Decimals: be16(b[82:84])}
	c.Position = int(int32(uint32(be16(b[84:86]))<<16 | uint32(be16(b[86:88]))))
	return nil
}

// labelsAndObsHeader reads the optional LABELV8/LABELV9 section (version 8
// files: labels over 40 bytes, format names over 8) and the OBS/OBSV8
// header; it returns the offset of the first observation.
func (d *decoder) labelsAndObsHeader(off int, t *Table) (int, error) {
	rec, err := d.record(off, "OBS header")
	if err != nil {
		return 0, err
	}
	if name, _ := headerName(rec); d.version == 8 && (name == "LABELV8" || name == "LABELV9") {
		// The count is left-aligned and blank-padded in files from haven,
		// zero-padded in files from SAS.
		n, err := d.number(off+48, rec[48:80], "label count")
		if err != nil {
			return 0, err
		}
		if off, err = d.labels(off+recLen, n, name == "LABELV9", t); err != nil {
			return 0, err
		}
	}
	if _, err := d.expectHeader(off, "OBS", "OBSV8"); err != nil {
		return 0, err
	}
	return off + recLen, nil
}

// labels reads n label records from off:
//
//	LABELV8: varnum(2) namelen(2) labellen(2) name label
//	LABELV9: varnum(2) namelen(2) formatlen(2) informatlen(2) labellen(2) name format informat label
//
// varnum is the 1-based variable number. The records are packed and padded
// to 80 bytes; the offset after the padding is returned.
func (d *decoder) labels(off, n int, v9 bool, t *Table) (int, error) {
	if n > len(t.Columns) {
		return 0, d.errorf(off-recLen+48, "", ErrMalformed, "%d long labels are declared for %d variables", n, len(t.Columns))
	}
	fixed := 6
	if v9 {
		fixed = 10
	}
	for range n {
		if off+fixed > len(d.data) {
			return 0, d.errorf(len(d.data), "", ErrTruncated, "the file ends inside the long-label records")
		}
		b := d.data[off : off+fixed]
		varnum := be16(b[0:2])
		lens := []int{be16(b[2:4]), be16(b[fixed-2 : fixed])} // name, label
		if v9 {
			lens = []int{be16(b[2:4]), be16(b[4:6]), be16(b[6:8]), be16(b[8:10])} // name, format, informat, label
		}
		if varnum < 1 || varnum > len(t.Columns) {
			return 0, d.errorf(off, "", ErrMalformed, "a long label is for variable %d, but there are %d variables", varnum, len(t.Columns))
		}
		c := &t.Columns[varnum-1]
		off += fixed
		parts := make([]string, len(lens))
		for k, l := range lens {
			if off+l > len(d.data) {
				return 0, d.errorf(len(d.data), c.Name, ErrTruncated, "the file ends inside the long-label record")
			}
			s, err := d.field(off, d.data[off:off+l], c.Name, "long name or label")
			if err != nil {
				return 0, err
			}
			parts[k] = s
			off += l
		}
		if parts[0] != "" {
			c.Name = parts[0]
		}
		c.Label = parts[len(parts)-1]
		if v9 {
			if f := trimDot(parts[1]); f != "" {
				c.Format.Name = f
			}
			if f := trimDot(parts[2]); f != "" {
				c.Informat.Name = f
			}
		}
	}
	return roundUp(off), nil
}

func trimDot(s string) string { return string(bytes.TrimSuffix([]byte(s), []byte("."))) }

// layout checks the variables' positions and returns the observation length.
func (d *decoder) layout(m *member) (int, error) {
	total := 0
	for i := range m.table.Columns {
		total += m.table.Columns[i].Length
	}
	for i := range m.table.Columns {
		c := &m.table.Columns[i]
		if c.Position < 0 || c.Position+c.Length > total {
			return 0, d.errorf(m.headerAt, c.Name, ErrMalformed, "the variable is at bytes %d–%d of an observation of %d bytes", c.Position, c.Position+c.Length, total)
		}
	}
	return total, nil
}

// nextMember returns the offset of the next member header record at or
// after off (on an 80-byte boundary), or len(data).
func (d *decoder) nextMember(off int) int {
	want := "MEMBER"
	if d.version == 8 {
		want = "MEMBV8"
	}
	for ; off+recLen <= len(d.data); off += recLen {
		if d.data[off] == 'H' {
			if name, ok := headerName(d.data[off : off+recLen]); ok && name == want {
				return off
			}
		}
	}
	return len(d.data)
}
