// Package onnxmodel builds small ONNX models in memory (linear classifiers over feature inputs,
// bag-of-words text classifiers, and their tokenizer.json), written with protowire: for tests and
// benchmarks, so that no binary fixtures and no Python are needed, and for the demo's model.
// Models use IR version 8 and opset 17.
package onnxmodel

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX TensorProto.DataType values used here.
const (
	dataFloat = 1
	dataInt64 = 7
)

// Field numbers of onnx.proto (onnx/onnx.proto in the ONNX repository).
const (
	modelIRVersion    = 1
	modelProducerName = 2
	modelGraph        = 7
	modelOpsetImport  = 8

	opsetDomain  = 1
	opsetVersion = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName = 1
	attrI    = 3
	attrType = 20
	attrINT  = 2

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueInfoName = 1
	valueInfoType = 2

	typeTensor        = 1
	tensorTypeElem    = 1
	tensorTypeShape   = 2
	shapeDim          = 1
	dimensionValue    = 1
	dimensionParam    = 2
	irVersion         = 8
	opsetVersionValue = 17
)

// graph accumulates the parts of a GraphProto.
type graph struct {
	name    string
	nodes   [][]byte
	inits   [][]byte
	inputs  [][]byte
	outputs [][]byte
}

// dim is one dimension of a value's shape: a fixed size, or a named dynamic one when param is set.
type dim struct {
	value int64
	param string
}

func fixed(n int) dim      { return dim{value: int64(n)} }
func dynamic(p string) dim { return dim{param: p} }
func batchDim(n int) dim {
	if n > 0 {
		return fixed(n)
	}
	return dynamic("N")
}

func (g *graph) input(name string, elem int, shape ...dim) {
	g.inputs = append(g.inputs, valueInfo(name, elem, shape))
}

func (g *graph) output(name string, elem int, shape ...dim) {
	g.outputs = append(g.outputs, valueInfo(name, elem, shape))
}

// floats adds a float initializer.
func (g *graph) floats(name string, data []float32, dims ...int64) {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	g.inits = append(g.inits, tensor(name, dataFloat, raw, dims))
}

// int64s adds an int64 initializer.
func (g *graph) int64s(name string, data []int64, dims ...int64) {
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	g.inits = append(g.inits, tensor(name, dataInt64, raw, dims))
}

// attr is an INT attribute of a node.
type attr struct {
	name string
	i    int64
}

func (g *graph) node(op string, inputs, outputs []string, attrs ...attr) {
	var b []byte
	for _, in := range inputs {
		b = appendString(b, nodeInput, in)
	}
	for _, out := range outputs {
		b = appendString(b, nodeOutput, out)
	}
	b = appendString(b, nodeName, outputs[0]+"_"+op)
	b = appendString(b, nodeOpType, op)
	for _, a := range attrs {
		var ab []byte
		ab = appendString(ab, attrName, a.name)
		ab = appendVarint(ab, attrI, uint64(a.i))
		ab = appendVarint(ab, attrType, attrINT)
		b = appendMessage(b, nodeAttribute, ab)
	}
	g.nodes = append(g.nodes, b)
}

// model serialises the graph as a ModelProto.
func (g *graph) model() []byte {
	var gb []byte
	for _, n := range g.nodes {
		gb = appendMessage(gb, graphNode, n)
	}
	gb = appendString(gb, graphName, g.name)
	for _, t := range g.inits {
		gb = appendMessage(gb, graphInitializer, t)
	}
	for _, v := range g.inputs {
		gb = appendMessage(gb, graphInput, v)
	}
	for _, v := range g.outputs {
		gb = appendMessage(gb, graphOutput, v)
	}
	var opset []byte
	opset = appendString(opset, opsetDomain, "")
	opset = appendVarint(opset, opsetVersion, opsetVersionValue)

	var m []byte
	m = appendVarint(m, modelIRVersion, irVersion)
	m = appendString(m, modelProducerName, "emoeval-onnxtest")
	m = appendMessage(m, modelGraph, gb)
	m = appendMessage(m, modelOpsetImport, opset)
	return m
}

func tensor(name string, dataType int, raw []byte, dims []int64) []byte {
	var b []byte
	for _, d := range dims {
		b = appendVarint(b, tensorDims, uint64(d))
	}
	b = appendVarint(b, tensorDataType, uint64(dataType))
	b = appendString(b, tensorName, name)
	return appendMessage(b, tensorRawData, raw)
}

func valueInfo(name string, elem int, shape []dim) []byte {
	var sb []byte
	for _, d := range shape {
		var db []byte
		if d.param != "" {
			db = appendString(db, dimensionParam, d.param)
		} else {
			db = appendVarint(db, dimensionValue, uint64(d.value))
		}
		sb = appendMessage(sb, shapeDim, db)
	}
	var tt []byte
	tt = appendVarint(tt, tensorTypeElem, uint64(elem))
	tt = appendMessage(tt, tensorTypeShape, sb)
	var typ []byte
	typ = appendMessage(typ, typeTensor, tt)
	var b []byte
	b = appendString(b, valueInfoName, name)
	return appendMessage(b, valueInfoType, typ)
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}
