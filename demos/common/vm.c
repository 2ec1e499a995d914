// SPDX-License-Identifier: GPL-2.0
#include "vm.h"

#include <stdbool.h>
#include <string.h>

const char *vm_strerror(int status)
{
	switch (status) {
	case VM_OK:
		return "ok";
	case VM_ERR_OPCODE:
		return "unknown opcode";
	case VM_ERR_JUMP:
		return "jump target out of range or in the wrong direction";
	case VM_ERR_LOCAL:
		return "local variable index out of range";
	case VM_ERR_STACK:
		return "operand stack underflow, overflow or inconsistent depth";
	case VM_ERR_NO_RETURN:
		return "code runs off its end without OP_RETURN";
	case VM_ERR_DIV_ZERO:
		return "modulo by zero";
	case VM_ERR_ARGS:
		return "wrong number of arguments";
	}
	return "unknown VM status";
}

/* Operands popped and pushed by each opcode. */
static const struct {
	int pop, push;
} effect[VM_NR_OPS] = {
    [OP_PUSH] = {0, 1},	  [OP_LOAD] = {0, 1},	       [OP_STORE] = {1, 0},
    [OP_ADD] = {2, 1},	  [OP_MUL] = {2, 1},	       [OP_MOD] = {2, 1},
    [OP_LT] = {2, 1},	  [OP_JUMP_IF_FALSE] = {1, 0}, [OP_JUMP_BACKWARD] = {0, 0},
    [OP_RETURN] = {1, 0}, [OP_FOR_RANGE] = {2, 3}, /* loop exit: pops 2, below */
};

static int fail(unsigned int pc, unsigned int *bad_pc, int err)
{
	if (bad_pc)
		*bad_pc = pc;
	return err;
}

int vm_validate(const struct vm_program *p, unsigned int *bad_pc)
{
	int depth[256];
	unsigned int work[256], nwork = 0;

	if (!p->code || p->len == 0)
		return fail(0, bad_pc, VM_ERR_NO_RETURN);
	if (p->len > 256 || p->nlocals > VM_MAX_LOCALS || p->nargs > p->nlocals)
		return fail(0, bad_pc, VM_ERR_LOCAL);
	for (unsigned int i = 0; i < p->len; i++)
		depth[i] = -1;
	/* Every instruction must be reached with one stack depth, whatever the
	 * path: then the depth check here holds at run time too. */
	depth[0] = 0;
	work[nwork++] = 0;
	while (nwork) {
		unsigned int pc = work[--nwork], succ[2], nsucc = 0;
		int sdepth[2];
		const struct vm_insn *in = &p->code[pc];
		int d = depth[pc];

		if (in->op < 0 || in->op >= VM_NR_OPS)
			return fail(pc, bad_pc, VM_ERR_OPCODE);
		if ((in->op == OP_LOAD || in->op == OP_STORE) &&
		    (in->arg < 0 || (unsigned int)in->arg >= p->nlocals))
			return fail(pc, bad_pc, VM_ERR_LOCAL);
		if (d < effect[in->op].pop)
			return fail(pc, bad_pc, VM_ERR_STACK);
		d += effect[in->op].push - effect[in->op].pop;
		if (d > VM_MAX_STACK)
			return fail(pc, bad_pc, VM_ERR_STACK);
		switch (in->op) {
		case OP_RETURN:
			break;
		case OP_JUMP_BACKWARD:
			if (in->arg < 0 || (unsigned int)in->arg > pc)
				return fail(pc, bad_pc, VM_ERR_JUMP);
			sdepth[nsucc] = d;
			succ[nsucc++] = in->arg;
			break;
		case OP_JUMP_IF_FALSE:
		case OP_FOR_RANGE:
			if (in->arg < 0 || (unsigned int)in->arg <= pc ||
			    (unsigned int)in->arg > p->len)
				return fail(pc, bad_pc, VM_ERR_JUMP);
			/* FOR_RANGE's exit drops the iterator: 2 below entry. */
			sdepth[nsucc] = in->op == OP_FOR_RANGE ? depth[pc] - 2 : d;
			succ[nsucc++] = in->arg;
			/* fall through */
		default:
			sdepth[nsucc] = d;
			succ[nsucc++] = pc + 1;
		}
		for (unsigned int i = 0; i < nsucc; i++) {
			if (succ[i] >= p->len)
				return fail(pc, bad_pc, VM_ERR_NO_RETURN);
			if (depth[succ[i]] == -1) {
				depth[succ[i]] = sdepth[i];
				work[nwork++] = succ[i];
			} else if (depth[succ[i]] != sdepth[i]) {
				return fail(succ[i], bad_pc, VM_ERR_STACK);
			}
		}
	}
	return VM_OK;
}

/*
 * Longer than the project's 80 lines on purpose: a bytecode interpreter's
 * dispatch loop is clearest as one body, one label per opcode side by side
 * (as CPython's ceval is), with the stack and the program counter in locals
 * the compiler keeps in registers; split into functions, each opcode would
 * pass them back and forth.
 */
int vm_run(const struct vm_program *p, const int64_t *args, unsigned int nargs, int64_t *result,
	   const struct vm_breaker *breaker)
{
	/* The dispatch loop: one indirect jump per instruction (computed goto,
	 * as CPython's ceval uses where the compiler allows). */
	static const void *const label[VM_NR_OPS] = {
	    [OP_PUSH] = &&op_push,
	    [OP_LOAD] = &&op_load,
	    [OP_STORE] = &&op_store,
	    [OP_ADD] = &&op_add,
	    [OP_MUL] = &&op_mul,
	    [OP_MOD] = &&op_mod,
	    [OP_LT] = &&op_lt,
	    [OP_JUMP_IF_FALSE] = &&op_jump_if_false,
	    [OP_JUMP_BACKWARD] = &&op_jump_backward,
	    [OP_RETURN] = &&op_return,
	    [OP_FOR_RANGE] = &&op_for_range,
	};
	static const int never;
	const int *flag = breaker && breaker->flag ? breaker->flag : &never;
	int64_t locals[VM_MAX_LOCALS] = {0};
	int64_t stack[VM_MAX_STACK];
	int64_t *sp = stack, a, b;
	const struct vm_insn *code = p->code, *pc = code;

	if (nargs != p->nargs)
		return VM_ERR_ARGS;
	/* memcpy's source must not be NULL even for 0 bytes (UBSan holds us to it). */
	if (nargs)
		memcpy(locals, args, nargs * sizeof(*args));

#define DISPATCH() goto *label[pc->op]
#define NEXT()                                                                                     \
	do {                                                                                       \
		pc++;                                                                              \
		DISPATCH();                                                                        \
	} while (0)

	DISPATCH();
op_push:
	*sp++ = pc->arg;
	NEXT();
op_load:
	*sp++ = locals[pc->arg];
	NEXT();
op_store:
	locals[pc->arg] = *--sp;
	NEXT();
op_add:
	b = *--sp;
	a = sp[-1];
	/* Wrap like unsigned arithmetic: no UB on overflow. */
	sp[-1] = (int64_t)((uint64_t)a + (uint64_t)b);
	NEXT();
op_mul:
	b = *--sp;
	a = sp[-1];
	sp[-1] = (int64_t)((uint64_t)a * (uint64_t)b);
	NEXT();
op_mod:
	b = *--sp;
	a = sp[-1];
	if (b == 0)
		return VM_ERR_DIV_ZERO;
	if (b == -1) /* INT64_MIN % -1 traps on x86 */
		sp[-1] = 0;
	else
		sp[-1] = a % b;
	NEXT();
op_lt:
	b = *--sp;
	a = sp[-1];
	sp[-1] = a < b;
	NEXT();
op_jump_if_false:
	if (*--sp == 0) {
		pc = code + pc->arg;
		DISPATCH();
	}
	NEXT();
op_jump_backward:
	/* The eval breaker: another thread asked for the lock. Relaxed is
	 * enough; the handler synchronises through the lock itself. */
	if (__builtin_expect(__atomic_load_n(flag, __ATOMIC_RELAXED), 0))
		breaker->handler(breaker->ctx);
	pc = code + pc->arg;
	DISPATCH();
op_for_range:
	if (sp[-1] < sp[-2]) {
		*sp = sp[-1];
		sp[-1]++;
		sp++;
		NEXT();
	}
	sp -= 2;
	pc = code + pc->arg;
	DISPATCH();
op_return:
	*result = *--sp;
	return VM_OK;
#undef NEXT
#undef DISPATCH
}

enum { L_N, L_I, L_S };

/* Compiled once, like a code object. The loop body is the 11 instructions
 * CPython 3.12 runs per iteration of the seed's loop: FOR_ITER, STORE_FAST,
 * LOAD_FAST x3, BINARY_OP *, LOAD_CONST, BINARY_OP %, BINARY_OP +=,
 * STORE_FAST, JUMP_BACKWARD. */
static const struct vm_insn mod_sum_code[] = {
    /* 0 */ {OP_PUSH, 0},
    /* 1 */ {OP_STORE, L_S},
    /* range(n): the iterator is [limit, next] on the stack */
    /* 2 */ {OP_LOAD, L_N},
    /* 3 */ {OP_PUSH, 0},
    /* loop: */
    /* 4 */ {OP_FOR_RANGE, 15},
    /* 5 */ {OP_STORE, L_I},
    /* s += (i * i) % 97 */
    /* 6 */ {OP_LOAD, L_S},
    /* 7 */ {OP_LOAD, L_I},
    /* 8 */ {OP_LOAD, L_I},
    /* 9 */ {OP_MUL, 0},
    /* 10 */ {OP_PUSH, 97},
    /* 11 */ {OP_MOD, 0},
    /* 12 */ {OP_ADD, 0},
    /* 13 */ {OP_STORE, L_S},
    /* 14 */ {OP_JUMP_BACKWARD, 4},
    /* 15 */ {OP_LOAD, L_S},
    /* 16 */ {OP_RETURN, 0},
};

static const struct vm_program mod_sum = {
    .code = mod_sum_code,
    .len = sizeof(mod_sum_code) / sizeof(mod_sum_code[0]),
    .nargs = 1,
    .nlocals = 3,
};

const struct vm_program *vm_mod_sum_program(void)
{
	return &mod_sum;
}

int64_t vm_mod_sum_reference(int64_t n)
{
	int64_t s = 0;

	for (int64_t i = 0; i < n; i++)
		s += (i * i) % 97;
	return s;
}
