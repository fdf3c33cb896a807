/*
 * decode.S - one instruction per decoder pattern, each with the pattern
 * name the decoder must report, and words the decoder must refuse. The
 * words come from the assembler, so the patterns are checked against
 * LLVM's encodings rather than against our own reading of the manual.
 *
 * Layout: the words from decode_words, and at decode_names one
 * NUL-terminated name per word, in the same order.
 */
	.macro	T name:req, insn:vararg
	.pushsection .text.decode, "ax"
	\insn
	.popsection
	.pushsection .rodata.decode, "a"
	.asciz	"\name"
	.popsection
	.endm

	.pushsection .text.decode, "ax"
	.globl	decode_words
decode_words:
	.popsection
	.pushsection .rodata.decode, "a"
	.globl	decode_names
decode_names:
	.popsection

	/* Data processing -- immediate */
	T "ADR",			adr x1, .
	T "ADRP",			adrp x1, .
	T "ADD (immediate)",		add x1, sp, #4095, lsl #12
	T "ADDS (immediate)",		adds w1, w2, #1
	T "SUB (immediate)",		sub sp, sp, #16
	T "SUBS (immediate)",		cmp x3, #0
	T "ADDG",			addg x1, x2, #1008, #15
	T "SUBG",			subg sp, x2, #16, #0
	T "AND (immediate)",		and x1, x2, #0xff
	T "ORR (immediate)",		mov w1, #0x10001
	T "EOR (immediate)",		eor x1, x2, #0xaaaaaaaaaaaaaaaa
	T "ANDS (immediate)",		tst w1, #1
	T "MOVN",			mov x1, #-2
	T "MOVZ",			mov w1, #0x10000
	T "MOVK",			movk x1, #1, lsl #48
	T "SBFM",			asr x1, x2, #3
	T "BFM",			bfi w1, w2, #3, #4
	T "UBFM",			lsl x1, x2, #3
	T "EXTR",			ror w1, w2, #7

	/* Branches, exception generating and system */
	T "B.cond",			b.ne .
	T "SVC",			svc #0x1234
	T "BRK",			brk #0x42
	T "HINT",			nop
	T "HINT",			bti c
	T "HINT",			paciasp
	T "HINT",			autibsp
	T "HINT",			xpaclri
	T "HINT",			yield
	T "HINT",			wfi
	T "CLREX",			clrex
	T "DSB/DMB/ISB/SB",		dsb sy
	T "DSB/DMB/ISB/SB",		dmb ishld
	T "DSB/DMB/ISB/SB",		isb
	T "DSB/DMB/ISB/SB",		sb
	T "MSR (immediate)",		msr daifset, #0xf
	T "MSR (immediate)",		msr pan, #1
	T "MSR (immediate)",		cfinv
	T "MSR (immediate)",		msr tco, #1
	T "MRS",			mrs x1, tco
	T "SYS",			dc zva, x1
	T "SYS",			ic ivau, x1
	T "SYS",			tlbi vmalle1is
	T "MSR (register)",		msr tpidr_el1, x1
	T "MRS",			mrs x1, nzcv
	T "BR",				br x1
	T "BLR",			blr x30
	T "RET",			ret
	T "ERET",			eret
	T "B",				b .
	T "BL",				bl .
	T "CBZ",			cbz w1, .
	T "CBNZ",			cbnz x1, .
	T "TBZ",			tbz x1, #63, .
	T "TBNZ",			tbnz w1, #0, .

	/* Loads and stores */
	T "STXR",			stxr w3, x1, [x2]
	T "STXR",			stlxrb w3, w1, [sp]
	T "LDXR",			ldaxrh w1, [x2]
	T "STXP",			stlxp w3, x1, x4, [x2]
	T "LDXP",			ldxp w1, w4, [x2]
	T "CASP",			caspal x0, x1, x2, x3, [x4]
	T "CASP",			casp w0, w1, w2, w3, [sp]
	T "STLR",			stlr w1, [x2]
	T "STLR",			stllrb w1, [x2]
	T "LDAR",			ldar x1, [sp]
	T "LDAR",			ldlarh w1, [x2]
	T "CAS",			casal x1, x2, [x3]
	T "CAS",			casb w1, w2, [x3]
	T "LDR (literal)",		ldr x1, .
	T "LDR (literal)",		ldr w1, .
	T "LDRSW (literal)",		ldrsw x1, .
	T "PRFM (literal)",		prfm pldl1keep, .
	T "LDR (literal, SIMD&FP)",	ldr q1, .
	T "STP/STNP",			stp x1, x2, [sp, #-16]!
	T "STP/STNP",			stnp w1, w2, [x3, #-256]
	T "LDP/LDNP",			ldp x1, x2, [sp], #16
	T "LDP/LDNP",			ldnp x1, x2, [x3, #504]
	T "LDPSW",			ldpsw x1, x2, [x3, #8]
	T "STGP",			stgp x1, x2, [x3, #-1024]!
	T "STP/STNP (SIMD&FP)",		stp q1, q2, [sp, #-32]!
	T "STP/STNP (SIMD&FP)",		stnp d1, d2, [x3]
	T "LDP/LDNP (SIMD&FP)",		ldp s1, s2, [x3], #8
	T "STR (immediate)",		str x1, [sp, #32760]
	T "STR (immediate)",		strb w1, [x2, #4095]
	T "LDR (immediate)",		ldrh w1, [x2, #2]
	T "LDRSB/LDRSH (immediate)",	ldrsb x1, [x2]
	T "LDRSB/LDRSH (immediate)",	ldrsh w1, [x2, #8190]
	T "LDRSW (immediate)",		ldrsw x1, [x2, #4]
	T "PRFM (immediate)",		prfm pstl2strm, [x2, #64]
	T "STR (immediate, SIMD&FP)",	str q1, [x2, #65520]
	T "STR (immediate, SIMD&FP)",	str b1, [x2]
	T "LDR (immediate, SIMD&FP)",	ldr d1, [x2, #8]
	T "LDR (immediate, SIMD&FP)",	ldr h1, [x2, #2]
	T "STTR",			sttrh w1, [x2, #-256]
	T "LDTR",			ldtr x1, [x2, #255]
	T "LDTRSB/LDTRSH",		ldtrsb x1, [x2]
	T "LDTRSW",			ldtrsw x1, [x2]
	T "PRFUM",			prfum pldl1keep, [x2, #-1]
	T "STR/STUR (immediate)",	stur w1, [x2, #-1]
	T "STR/STUR (immediate)",	str x1, [x2, #-8]!
	T "LDR/LDUR (immediate)",	ldr x1, [x2], #8
	T "LDR/LDUR (immediate)",	ldurb w1, [x2, #255]
	T "LDRSB/LDRSH/LDURSB/LDURSH (immediate)", ldursh x1, [x2, #-2]
	T "LDRSW/LDURSW (immediate)",	ldrsw x1, [x2, #4]!
	T "STR/STUR (immediate, SIMD&FP)", str q1, [sp, #-16]!
	T "LDR/LDUR (immediate, SIMD&FP)", ldur s1, [x2, #3]
	T "STR (register)",		str x1, [x2, x3, lsl #3]
	T "STR (register)",		strb w1, [x2, w3, sxtw]
	T "LDR (register)",		ldr w1, [x2, w3, uxtw #2]
	T "LDRSB/LDRSH (register)",	ldrsh x1, [x2, x3, sxtx #1]
	T "LDRSW (register)",		ldrsw x1, [x2, x3]
	T "PRFM (register)",		prfm pldl1keep, [x2, x3]
	T "STR (register, SIMD&FP)",	str q1, [x2, x3, lsl #4]
	T "LDR (register, SIMD&FP)",	ldr b1, [x2, x3]
	T "LDADD",			ldaddal x1, x2, [x3]
	T "LDADD",			staddb w1, [x3]
	T "LDCLR",			ldclrh w1, w2, [sp]
	T "LDEOR",			steorl x1, [x3]
	T "LDSET",			ldseta w1, w2, [x3]
	T "LDSMAX",			ldsmax x1, x2, [x3]
	T "LDSMIN",			ldsminlb w1, w2, [x3]
	T "LDUMAX",			ldumax w1, w2, [x3]
	T "LDUMIN",			stuminl x1, [x3]
	T "SWP",			swpal x1, x2, [x3]
	T "LDAPR",			ldapr x1, [x2]
	T "STZGM",			stzgm x1, [x2]
	T "STG",			stg x1, [x2, #-4096]
	T "STG",			stg sp, [x2], #16
	T "LDG",			ldg x1, [x2, #4080]
	T "STZG",			stzg x1, [x2, #16]!
	T "STGM",			stgm xzr, [x2]
	T "ST2G",			st2g x1, [sp]
	T "LDGM",			ldgm x1, [x2]
	T "STZ2G",			stz2g x1, [x2], #-32

	/* Data processing -- register */
	T "AND (shifted register)",	and x1, x2, x3, lsl #63
	T "BIC (shifted register)",	bic w1, w2, w3, ror #31
	T "ORR (shifted register)",	mov x1, x2
	T "ORN (shifted register)",	mvn w1, w2
	T "EOR (shifted register)",	eor x1, x2, x3, asr #1
	T "EON (shifted register)",	eon x1, x2, x3
	T "ANDS (shifted register)",	tst x1, x2
	T "BICS (shifted register)",	bics w1, w2, w3, lsr #2
	T "ADD (shifted register)",	add x1, x2, x3, lsr #63
	T "ADDS (shifted register)",	cmn w1, w2
	T "SUB (shifted register)",	neg x1, x2
	T "SUBS (shifted register)",	cmp x1, x2, asr #5
	T "ADD (extended register)",	add sp, sp, x1
	T "ADDS (extended register)",	adds x1, sp, w2, uxtw #4
	T "SUB (extended register)",	sub x1, x2, w3, sxtb
	T "SUBS (extended register)",	cmp sp, x1
	T "ADC",			adc x1, x2, x3
	T "ADCS",			adcs w1, w2, w3
	T "SBC",			ngc x1, x2
	T "SBCS",			sbcs x1, x2, x3
	T "CCMN (register)",		ccmn x1, x2, #15, ne
	T "CCMP (register)",		ccmp w1, w2, #0, hi
	T "CCMN (immediate)",		ccmn w1, #31, #1, lt
	T "CCMP (immediate)",		ccmp x1, #0, #8, al
	T "CSEL",			csel x1, x2, x3, eq
	T "CSINC",			cset w1, eq
	T "CSINV",			csetm x1, ne
	T "CSNEG",			cneg x1, x2, mi
	T "MADD",			mul x1, x2, x3
	T "MSUB",			mneg w1, w2, w3
	T "SMADDL",			smull x1, w2, w3
	T "SMSUBL",			smsubl x1, w2, w3, x4
	T "SMULH",			smulh x1, x2, x3
	T "UMADDL",			umaddl x1, w2, w3, x4
	T "UMSUBL",			umnegl x1, w2, w3
	T "UMULH",			umulh x1, x2, x3
	T "UDIV",			udiv w1, w2, w3
	T "SDIV",			sdiv x1, x2, x3
	T "LSLV",			lsl x1, x2, x3
	T "LSRV",			lsr w1, w2, w3
	T "ASRV",			asr x1, x2, x3
	T "RORV",			ror w1, w2, w3
	T "SUBP",			subp x1, x2, sp
	T "SUBPS",			cmpp x1, x2
	T "IRG",			irg x1, sp
	T "GMI",			gmi x1, x2, x3
	T "RBIT",			rbit w1, w2
	T "REV16",			rev16 x1, x2
	T "REV (32-bit)",		rev w1, w2
	T "REV32",			rev32 x1, x2
	T "REV (64-bit)",		rev x1, x2
	T "CLZ",			clz x1, x2
	T "CLS",			cls w1, w2

	/* Outside the subset, or unallocated: Undefined Instruction. */
	T "UNDEFINED",			udf #0
	T "UNDEFINED",			hvc #0
	T "UNDEFINED",			smc #0
	T "UNDEFINED",			hlt #0
	T "UNDEFINED",			sysl x1, #0, c0, c0, #0
	T "UNDEFINED",			add v0.4s, v1.4s, v2.4s
	T "UNDEFINED",			fadd d0, d1, d2
	T "UNDEFINED",			ld1 {v0.16b}, [x0]
	T "UNDEFINED",			crc32x w0, w1, x2
	T "UNDEFINED",			retaa
	T "UNDEFINED",			ldraa x0, [x1]
	T "UNDEFINED",			.inst 0x32800000 /* move wide, opc = 01: unallocated */
	T "UNDEFINED",			.inst 0x13400000 /* SBFM sf=0 N=1 */
	T "UNDEFINED",			.inst 0x1321fc00 /* SBFM 32-bit with imms<5> set */
	T "UNDEFINED",			.inst 0x52c00000 /* MOVZ W with hw = 2 */
	T "UNDEFINED",			.inst 0x12400000 | (1 << 22) /* AND W with N=1 */
	T "UNDEFINED",			.inst 0x92400000 | (0x3f << 10) /* AND X, imms all ones */
	T "UNDEFINED",			.inst 0x8b000000 | (3 << 22) /* ADD shifted, shift=ROR */
	T "UNDEFINED",			.inst 0x0b008000 /* ADD W shifted, imm6 = 32 */
	T "UNDEFINED",			.inst 0x8b200000 | (5 << 10) /* ADD extended, imm3 = 5 */
	T "UNDEFINED",			.inst 0xf8602800 /* LDR register, option 001 */
	T "UNDEFINED",			.inst 0x68400000 /* LDNPSW: no such instruction */
	T "UNDEFINED",			.inst 0xbc400c00 | (1 << 23) /* LDR (SIMD) size 10 opc 11 */
	T "UNDEFINED",			.inst 0x7cc00000 /* LDR (SIMD) size 01 opc 11 */
	T "UNDEFINED",			.inst 0xdc000000 /* LDR (literal, SIMD) opc 11 */
	T "UNDEFINED",			.inst 0x3c400800 /* LDTR on a SIMD register */
	T "UNDEFINED",			.inst 0xf8800400 /* post-index, size 11 opc 10 */
	T "UNDEFINED",			.inst 0xd9200000 | (1 << 12) /* STZGM with imm9 != 0 */
	T "UNDEFINED",			.inst 0x5ac00c00 /* REV32 form with sf = 0 */
	T "UNDEFINED",			.inst 0x1ac00000 /* SUBP with sf = 0 */
	T "UNDEFINED",			.inst 0x00000000

	.pushsection .text.decode, "ax"
	.globl	decode_words_end
decode_words_end:
	.popsection
