package parquetio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// A damaged or hostile file may declare any size in its footer and page headers, and parquet-go
// allocates by what they declare before it reads (a 20 KB file claiming a 2 GB footer or page
// got 2 GB). The guards below check every declared size against the bytes that could hold it
// before parquet-go sees it, so that reading a file allocates in proportion to its size.

// Limits no file emoeval reads comes near: writers cut pages at about 1 MB (parquet-go 256 KB, Arrow and
// DuckDB 1 MB).
const (
	maxPageBytes  = 256 << 20 // a page's uncompressed size
	maxPageValues = 64 << 20  // values (with their levels) in one page of a list column
	// MaxRowsPerByte bounds the rows a file may claim by its size. A row of any table emoeval
	// reads takes tens of bytes (a clip id alone is 5); run-length and dictionary encodings of
	// its repeated values (dataset, fold, label) shrink that, never to 1/64 of a byte.
	MaxRowsPerByte = 64
)

// CheckFooter checks the footer of the Parquet content in r before parquet-go reads it: its
// declared length must fit in the file, and every length and count in it must fit in the footer.
// Content that does not end in PAR1 is left to parquet-go, which says what it is not.
func CheckFooter(name string, r io.ReaderAt, size int64) error {
	if size < 12 {
		return nil
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return inputerr.Wrap(name, err)
	}
	switch string(tail[4:]) {
	case "PAR1":
	case "PARE":
		return inputerr.New(name, "an encrypted Parquet file: emoeval reads no encrypted files")
	default:
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 {
		return inputerr.New(name, "damaged Parquet file: the footer claims %d bytes, the file has %d", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return inputerr.Wrap(name, err)
	}
	c := compactReader{b: footer}
	if _, err := c.value(thriftStruct, 0, false); err != nil {
		return &inputerr.Error{File: name, Msg: "damaged Parquet file: its footer", Err: err}
	}
	return nil
}

// CheckPages checks the page headers of every leaf column (CheckColumnPages), a column is
// repeated when its values sit in lists.
func CheckPages(name string, r io.ReaderAt, f *parquet.File) error {
	for i, path := range f.Schema().Columns() {
		leaf, ok := f.Schema().Lookup(path...)
		if !ok {
			continue
		}
		if err := CheckColumnPages(name, r, f, i, strings.Join(path, "."), leaf.MaxRepetitionLevel > 0); err != nil {
			return err
		}
	}
	return nil
}

// CheckColumnPages checks the page headers of leaf column index (named key in errors) in every
// row group against the column chunk that holds them, before parquet-go reads the pages: every
// page must lie in its chunk, decompress to no more than its codec can produce, and declare no
// more values than its row group's rows (a column of one value per row) or maxPageValues (a
// repeated column).
func CheckColumnPages(name string, r io.ReaderAt, f *parquet.File, index int, key string, repeated bool) error {
	meta := f.Metadata()
	for g, rg := range meta.RowGroups {
		if index >= len(rg.Columns) {
			return inputerr.New(name, "damaged Parquet file: row group %d has %d columns, the schema %d", g+1, len(rg.Columns), index+1)
		}
		if rg.NumRows < 0 || rg.NumRows > MaxRowsPerByte*f.Size() {
			return inputerr.New(name, "damaged Parquet file: row group %d claims %d rows, more than a file of %d bytes can hold", g+1, rg.NumRows, f.Size())
		}
		cm := rg.Columns[index].MetaData
		start := cm.DataPageOffset
		if cm.DictionaryPageOffset != 0 {
			start = cm.DictionaryPageOffset
		}
		end := start + cm.TotalCompressedSize
		if start < 4 || cm.TotalCompressedSize < 0 || end > f.Size() || end < start {
			return &inputerr.Error{File: name, Key: key, Msg: fmt.Sprintf(
				"damaged Parquet file: row group %d's chunk claims bytes %d to %d, the file has %d", g+1, start, end, f.Size())}
		}
		maxValues := rg.NumRows
		if repeated {
			maxValues = maxPageValues
		}
		if err := walkPages(r, start, end, cm.Codec, maxValues); err != nil {
			return &inputerr.Error{File: name, Key: key, Msg: fmt.Sprintf("damaged Parquet file: row group %d", g+1), Err: err}
		}
	}
	return nil
}

// Page types (format.PageType) and the fields of a page header this guard reads.
const (
	pageData       = 0
	pageDictionary = 2
	pageDataV2     = 3
)

// walkPages reads the page headers of one column chunk, bytes [start, end) of the file.
func walkPages(r io.ReaderAt, start, end int64, codec format.CompressionCodec, maxValues int64) error {
	var window []byte
	for pos := start; pos < end; {
		// A header is small; read more only when its fields (statistics) reach further.
		want := min(end-pos, 4<<10)
		var h pageHeader
		var hdrLen int
		for {
			window = slices.Grow(window[:0], int(want))[:want]
			if _, err := r.ReadAt(window, pos); err != nil && err != io.EOF {
				return err
			}
			c := compactReader{b: window, partial: want < end-pos}
			st, err := c.value(thriftStruct, 0, true)
			if err == nil {
				h, hdrLen = pageHeaderOf(st), c.pos
				break
			}
			if err != errShort || want == end-pos {
				return fmt.Errorf("page header at byte %d: %w", pos, err)
			}
			want = min(end-pos, 2*want)
		}
		if err := h.check(end-pos-int64(hdrLen), codec, maxValues); err != nil {
			return fmt.Errorf("page at byte %d: %w", pos, err)
		}
		pos += int64(hdrLen) + h.compressed
	}
	return nil
}

// pageHeader is what the guard needs of a format.PageHeader.
type pageHeader struct {
	typ                      int64
	uncompressed, compressed int64
	values, nulls, rows      int64 // of the data (v1, v2) or dictionary page header
	levels                   int64 // v2: the bytes of repetition and definition levels
}

func pageHeaderOf(st *thriftValues) pageHeader {
	h := pageHeader{typ: st.int(1), uncompressed: st.int(2), compressed: st.int(3)}
	switch {
	case st.sub[5] != nil: // data_page_header
		h.values = st.sub[5].int(1)
	case st.sub[7] != nil: // dictionary_page_header
		h.values = st.sub[7].int(1)
	case st.sub[8] != nil: // data_page_header_v2
		v2 := st.sub[8]
		h.values, h.nulls, h.rows = v2.int(1), v2.int(2), v2.int(3)
		h.levels = v2.int(5) + v2.int(6)
	}
	return h
}

// check compares a page header with the chunk bytes left after it.
func (h pageHeader) check(left int64, codec format.CompressionCodec, maxValues int64) error {
	switch {
	case h.compressed < 0 || h.uncompressed < 0 || h.values < 0 || h.nulls < 0 || h.rows < 0 || h.levels < 0:
		return fmt.Errorf("negative sizes or counts")
	case h.compressed > left:
		return fmt.Errorf("%d bytes claimed, %d left in the column chunk", h.compressed, left)
	case h.uncompressed > maxExpansion(codec, h.compressed):
		return fmt.Errorf("%d bytes of %s data claim to decompress to %d", h.compressed, codec, h.uncompressed)
	case h.uncompressed > maxPageBytes:
		return fmt.Errorf("%d bytes uncompressed; pages over %d MiB are not supported", h.uncompressed, maxPageBytes>>20)
	case h.levels > h.compressed || h.nulls > h.values:
		return fmt.Errorf("inconsistent v2 header")
	}
	if h.typ == pageDictionary {
		// Dictionary values are PLAIN: at least a byte each.
		if h.values > h.uncompressed {
			return fmt.Errorf("a dictionary of %d values in %d bytes", h.values, h.uncompressed)
		}
		return nil
	}
	if h.values > maxValues || h.rows > maxValues {
		return fmt.Errorf("%d values, more than its row group can hold (%d)", max(h.values, h.rows), maxValues)
	}
	return nil
}

// maxExpansion is the most that n compressed bytes can decompress to: what each codec's format
// allows (Snappy: a 3-byte copy gives 64 bytes; LZ4: 255 per length byte; DEFLATE: 258 per 2
// bits), and for Zstandard and Brotli, whose formats allow far more, a 32768:1 ratio (a Zstandard
// RLE block), bounded by maxPageBytes anyway.
func maxExpansion(codec format.CompressionCodec, n int64) int64 {
	switch codec {
	case format.Uncompressed:
		return n
	case format.Snappy:
		return 22*n + 32
	case format.Lz4, format.Lz4Raw:
		return 256*n + 64
	case format.Gzip:
		return 1033*n + 64
	}
	return 32768*n + 64
}

// Thrift compact protocol types (field types; list elements use the same codes, with 1 for any
// bool).
const (
	thriftTrue   = 1
	thriftFalse  = 2
	thriftByte   = 3
	thriftI16    = 4
	thriftI32    = 5
	thriftI64    = 6
	thriftDouble = 7
	thriftBinary = 8
	thriftList   = 9
	thriftSet    = 10
	thriftMap    = 11
	thriftStruct = 12
	thriftUUID   = 13
)

// errShort is returned when the bytes end inside a value: the caller may read more.
var errShort = errors.New("truncated")

// compactReader walks Thrift compact-protocol bytes, checking that every length and count fits
// in the bytes left: each element takes at least one byte, so a count above that is a lie that
// would make a decoder allocate for nothing.
type compactReader struct {
	b   []byte
	pos int
	// partial: b is the start of the bytes, and more may follow (a window on a column chunk).
	partial bool
}

// thriftValues is a struct's integer fields and nested structs, by field id, when kept.
type thriftValues struct {
	ints map[int16]int64
	sub  map[int16]*thriftValues
}

func (v *thriftValues) int(id int16) int64 {
	if v == nil {
		return 0
	}
	return v.ints[id]
}

func (c *compactReader) left() int { return len(c.b) - c.pos }

func (c *compactReader) byte() (byte, error) {
	if c.pos >= len(c.b) {
		return 0, errShort
	}
	c.pos++
	return c.b[c.pos-1], nil
}

func (c *compactReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(c.b[c.pos:])
	switch {
	case n == 0:
		return 0, errShort
	case n < 0:
		return 0, errors.New("varint overflows 64 bits")
	}
	c.pos += n
	return v, nil
}

func (c *compactReader) varint() (int64, error) {
	u, err := c.uvarint()
	return int64(u>>1) ^ -int64(u&1), err // zigzag
}

func (c *compactReader) skip(n int) error {
	if n > c.left() {
		return errShort
	}
	c.pos += n
	return nil
}

// count reads a length or element count and checks that the bytes left can hold it, at
// minBytes each.
func (c *compactReader) count(n uint64, minBytes int) (int, error) {
	if n > uint64(c.left()/minBytes) {
		if c.partial {
			return 0, errShort // judged once the caller has read all there is
		}
		return 0, fmt.Errorf("%d elements declared, %d bytes left", n, c.left())
	}
	return int(n), nil
}

// value reads one value of type typ; for a struct with keep, it returns its integer fields and
// nested structs.
func (c *compactReader) value(typ byte, depth int, keep bool) (*thriftValues, error) {
	if depth > 64 {
		return nil, errors.New("values nested more than 64 deep")
	}
	switch typ {
	case thriftTrue, thriftFalse, thriftByte:
		// A bool in a list takes a byte; as a field its value is in the type (handled by the
		// struct loop, which does not call value for it).
		return nil, c.skip(1)
	case thriftI16, thriftI32, thriftI64:
		_, err := c.varint()
		return nil, err
	case thriftDouble:
		return nil, c.skip(8)
	case thriftUUID:
		return nil, c.skip(16)
	case thriftBinary:
		n, err := c.uvarint()
		if err != nil {
			return nil, err
		}
		size, err := c.count(n, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.skip(size)
	case thriftList, thriftSet:
		h, err := c.byte()
		if err != nil {
			return nil, err
		}
		n, elem := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = c.uvarint(); err != nil {
				return nil, err
			}
		}
		size, err := c.count(n, 1)
		if err != nil {
			return nil, err
		}
		for range size {
			if _, err := c.value(elem, depth+1, false); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case thriftMap:
		n, err := c.uvarint()
		if err != nil || n == 0 {
			return nil, err
		}
		size, err := c.count(n, 2)
		if err != nil {
			return nil, err
		}
		kv, err := c.byte()
		if err != nil {
			return nil, err
		}
		for range size {
			if _, err := c.value(kv>>4, depth+1, false); err != nil {
				return nil, err
			}
			if _, err := c.value(kv&0x0f, depth+1, false); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case thriftStruct:
		return c.structValue(depth, keep)
	}
	return nil, fmt.Errorf("unknown Thrift type %d", typ)
}

func (c *compactReader) structValue(depth int, keep bool) (*thriftValues, error) {
	var out *thriftValues
	if keep {
		out = &thriftValues{ints: map[int16]int64{}, sub: map[int16]*thriftValues{}}
	}
	var id int16
	for {
		h, err := c.byte()
		if err != nil {
			return nil, err
		}
		if h == 0 {
			return out, nil // stop
		}
		typ := h & 0x0f
		if delta := int16(h >> 4); delta != 0 {
			id += delta
		} else {
			v, err := c.varint()
			if err != nil {
				return nil, err
			}
			id = int16(v)
		}
		switch {
		case typ == thriftTrue || typ == thriftFalse: // the value is the type
		case keep && (typ == thriftI16 || typ == thriftI32 || typ == thriftI64):
			v, err := c.varint()
			if err != nil {
				return nil, err
			}
			out.ints[id] = v
		default:
			sub, err := c.value(typ, depth+1, keep && typ == thriftStruct)
			if err != nil {
				return nil, err
			}
			if sub != nil {
				out.sub[id] = sub
			}
		}
	}
}
