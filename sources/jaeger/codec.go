package jaeger

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	grpcproto "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
)

// gogoCodec marshals the jaeger-idl messages with their own gogo-generated
// methods. grpc's default codec goes through the google.golang.org/protobuf
// reflection path, which cannot handle gogo custom types (TraceID, SpanID,
// stdtime). Jaeger itself solves this by registering a codec globally at
// init; we pass ours per connection instead, so importing this package
// changes nothing for other gRPC users in the process.
type gogoCodec struct{}

type gogoMarshaler interface {
	Marshal() ([]byte, error)
}

type gogoUnmarshaler interface {
	Unmarshal([]byte) error
}

// Name keeps the standard content-subtype, so servers see plain
// application/grpc+proto.
func (gogoCodec) Name() string { return grpcproto.Name }

func (gogoCodec) Marshal(v any) (mem.BufferSlice, error) {
	if m, ok := v.(gogoMarshaler); ok {
		b, err := m.Marshal()
		if err != nil {
			return nil, err
		}
		return mem.BufferSlice{mem.SliceBuffer(b)}, nil
	}
	return fallbackCodec().Marshal(v)
}

func (gogoCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if m, ok := v.(gogoUnmarshaler); ok {
		// Materialize copies, and the generated Unmarshal copies strings and
		// bytes out again, so nothing keeps a reference to grpc's buffers.
		return m.Unmarshal(data.Materialize())
	}
	return fallbackCodec().Unmarshal(data, v)
}

// fallbackCodec handles any non-gogo message (e.g. a grpc health check) with
// grpc's own proto codec.
func fallbackCodec() encoding.CodecV2 {
	if c := encoding.GetCodecV2(grpcproto.Name); c != nil {
		return c
	}
	return errCodec{}
}

type errCodec struct{}

func (errCodec) Name() string { return grpcproto.Name }
func (errCodec) Marshal(v any) (mem.BufferSlice, error) {
	return nil, fmt.Errorf("jaeger codec: cannot marshal %T", v)
}
func (errCodec) Unmarshal(_ mem.BufferSlice, v any) error {
	return fmt.Errorf("jaeger codec: cannot unmarshal into %T", v)
}
