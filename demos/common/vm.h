/* SPDX-License-Identifier: GPL-2.0 */
/* A small stack bytecode VM: the "interpreter" demo 02 runs, so that the
 * CPU-bound work is interpreted bytecode, as in CPython, not a bare C loop.
 * Values are int64; a program has locals (its arguments come first) and an
 * operand stack. The only backward jump is OP_JUMP_BACKWARD, and that is where
 * the VM polls its eval breaker, as CPython's JUMP_BACKWARD does. */
#ifndef SCHEDLAB_VM_H
#define SCHEDLAB_VM_H

#include <stddef.h>
#include <stdint.h>

enum vm_op {
	OP_PUSH,	  /* push arg */
	OP_LOAD,	  /* push locals[arg] */
	OP_STORE,	  /* locals[arg] = pop */
	OP_ADD,		  /* b = pop, a = pop, push a + b */
	OP_MUL,		  /* push a * b */
	OP_MOD,		  /* push a % b; b == 0 is VM_ERR_DIV_ZERO */
	OP_LT,		  /* push a < b */
	OP_JUMP_IF_FALSE, /* if pop == 0: pc = arg (forward only) */
	OP_JUMP_BACKWARD, /* pc = arg (backward only); polls the eval breaker */
	OP_FOR_RANGE,	  /* stack [.., limit, next]: if next < limit, push next
			   * and count it; else pop both, pc = arg (forward):
			   * CPython's FOR_ITER over a range iterator */
	OP_RETURN,	  /* the result is pop */
	VM_NR_OPS
};

struct vm_insn {
	int32_t op;
	int32_t arg;
};

#define VM_MAX_LOCALS 16
#define VM_MAX_STACK 32

struct vm_program {
	const struct vm_insn *code;
	unsigned int len;
	unsigned int nargs;   /* locals[0..nargs) are the arguments */
	unsigned int nlocals; /* including the arguments */
};

enum vm_status {
	VM_OK = 0,
	VM_ERR_OPCODE,	  /* unknown opcode */
	VM_ERR_JUMP,	  /* jump target out of range or in the wrong direction */
	VM_ERR_LOCAL,	  /* local index out of range */
	VM_ERR_STACK,	  /* operand stack underflow or overflow */
	VM_ERR_NO_RETURN, /* the code can run off its end */
	VM_ERR_DIV_ZERO,  /* OP_MOD by zero, at run time */
	VM_ERR_ARGS,	  /* wrong number of arguments */
};

const char *vm_strerror(int status);

/* The eval breaker: a flag another thread sets (the GIL's drop request). At
 * every backward jump the VM reads *flag; when it is non-zero it calls
 * handler(ctx), which may block (drop and retake the lock) and returns. */
struct vm_breaker {
	const int *flag;
	void (*handler)(void *ctx);
	void *ctx;
};

/* Check a program before running it: opcodes, jump targets and directions,
 * local indexes, operand stack depth along every path (a linear abstract
 * interpretation: each instruction must be reached with one stack depth), and
 * that no path runs off the end. Returns VM_OK or the first error, with the
 * offending pc in *bad_pc when not NULL. */
int vm_validate(const struct vm_program *p, unsigned int *bad_pc);

/* Run a validated program with @nargs arguments; *result is what OP_RETURN
 * popped. @breaker may be NULL. Returns VM_OK or a run-time error. */
int vm_run(const struct vm_program *p, const int64_t *args, unsigned int nargs, int64_t *result,
	   const struct vm_breaker *breaker);

/* The seed's task as bytecode:
 *	s = 0
 *	for i in range(n): s += (i * i) % 97
 *	return s
 * with n the single argument. */
const struct vm_program *vm_mod_sum_program(void);

/* The same loop in plain C: the reference the VM's result must equal. */
int64_t vm_mod_sum_reference(int64_t n);

#endif
