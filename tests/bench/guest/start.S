/*
 * start.S - entry of the static user program qemu-user runs (user.c), and
 * bench_halt: the return address the harness gives a workload under rasim
 * and Unicorn, where the run stops before executing anything.
 */
	.section .text.user, "ax"
	.globl	_start
	.type	_start, %function
_start:
#if defined(__aarch64__)
	mov	x0, sp
	bl	bench_user_main
	brk	#0
#elif defined(__riscv)
	mv	a0, sp
	call	bench_user_main
	ebreak
#endif
	.size	_start, . - _start

	.globl	bench_halt
	.type	bench_halt, %function
	.p2align 4
bench_halt:
#if defined(__aarch64__)
	brk	#1
#elif defined(__riscv)
	ebreak
#endif
	.size	bench_halt, . - bench_halt
