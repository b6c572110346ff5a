package ortenv

import (
	"errors"
	"fmt"
	"os"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// ModelBytes returns an ONNX model's bytes: data when given (models built in memory), else the
// content of path. what names the model in errors, e.g. `model "fusion"`.
func ModelBytes(what, path string, data []byte) ([]byte, error) {
	if len(data) > 0 {
		return data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return nil, &inputerr.Error{File: path, Msg: what + ": cannot read the ONNX file", Err: err}
	}
	return data, nil
}

// Or returns rt, or when it is nil the runtime loaded from $ONNXRUNTIME_SHARED_LIBRARY_PATH.
func Or(rt *Runtime, what string) (*Runtime, error) {
	if rt != nil {
		return rt, nil
	}
	rt, err := Load("")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return rt, nil
}
