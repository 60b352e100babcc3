package quiz

import (
	"slices"
	"testing"
)

func TestParts(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"Python, C++ and CUDA", []string{"python", "cpp", "cuda"}},
		{"JAX, TensorFlow or PyTorch", []string{"jax", "tensorflow", "pytorch"}},
		{"Python (generating C and CUDA)", []string{"python", "generatingc", "cuda"}},
		{"Python、Cython 和 C", []string{"python", "cython", "c"}},
		{"The controller", []string{"controller"}},
		{"`ClientSession`", []string{"clientsession"}},
	} {
		if got := Parts(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Parts(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"NumPy", "NumPy and SciPy", true},
		{"C++ and Python", "Python, C++ and CUDA", true},
		{"C", "C++", false},
		{"Model, View, Controller", "Model, Validator, Cache", false},
		{"Flask", "Django", false},
	} {
		if got := Nested(Parts(tt.a), Parts(tt.b)); got != tt.want {
			t.Errorf("Nested(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
