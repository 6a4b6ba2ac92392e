package server

import (
	"fmt"
	"runtime/debug"
)

// panicError carries a recovered panic and its stack to the log.
type panicErr struct {
	v     any
	stack []byte
}

func (p *panicErr) Error() string { return fmt.Sprintf("panic: %v\n%s", p.v, p.stack) }

func panicError(v any) error { return &panicErr{v: v, stack: debug.Stack()} }
