/*
 * opcodes.h - every implemented RV64 instruction as data: the mnemonic, the
 * bits that identify it (match) under a mask, and its operand format.
 * Grouped by extension as the ISA manual's opcode map is; the decoder
 * (decode.c), the op enum and the executor prototypes (insn.h) and the
 * disassembler (disasm.c) are all derived from these lists.
 *
 * X(name, "mnemonic", match, mask, format)
 *   name   - C identifier: the op is RV64_OP_<name>, its executor exec_<name>
 *   format - how the fields are read (enum rv64_fmt in insn.h)
 *
 * Masks in use, for the reader holding this next to the opcode map:
 *   0x0000007f opcode                 0x0000707f opcode + funct3
 *   0xfe00707f + funct7               0xfc00707f + funct6 (RV64 6-bit shamt)
 *   0xfff0707f + funct12 (unary ops)  0xf800707f + funct5 (AMOs)
 *   0xf9f0707f + funct5, rs2 = 0 (LR) 0xfff07fff + imm12, rd = 0 (CBOs)
 *   0xffffffff the whole word
 */
#ifndef RASIM_RV64_OPCODES_H
#define RASIM_RV64_OPCODES_H

/* clang-format off */ /* the encoding tables, one instruction per line */
/* RV64I base integer instruction set. */
#define RV64I_INSNS(X)                                        \
    X(lui, "lui", 0x00000037, 0x0000007f, FMT_U)              \
    X(auipc, "auipc", 0x00000017, 0x0000007f, FMT_U)          \
    X(jal, "jal", 0x0000006f, 0x0000007f, FMT_J)              \
    X(jalr, "jalr", 0x00000067, 0x0000707f, FMT_I)            \
    X(beq, "beq", 0x00000063, 0x0000707f, FMT_B)              \
    X(bne, "bne", 0x00001063, 0x0000707f, FMT_B)              \
    X(blt, "blt", 0x00004063, 0x0000707f, FMT_B)              \
    X(bge, "bge", 0x00005063, 0x0000707f, FMT_B)              \
    X(bltu, "bltu", 0x00006063, 0x0000707f, FMT_B)            \
    X(bgeu, "bgeu", 0x00007063, 0x0000707f, FMT_B)            \
    X(lb, "lb", 0x00000003, 0x0000707f, FMT_LOAD)             \
    X(lh, "lh", 0x00001003, 0x0000707f, FMT_LOAD)             \
    X(lw, "lw", 0x00002003, 0x0000707f, FMT_LOAD)             \
    X(ld, "ld", 0x00003003, 0x0000707f, FMT_LOAD)             \
    X(lbu, "lbu", 0x00004003, 0x0000707f, FMT_LOAD)           \
    X(lhu, "lhu", 0x00005003, 0x0000707f, FMT_LOAD)           \
    X(lwu, "lwu", 0x00006003, 0x0000707f, FMT_LOAD)           \
    X(sb, "sb", 0x00000023, 0x0000707f, FMT_S)                \
    X(sh, "sh", 0x00001023, 0x0000707f, FMT_S)                \
    X(sw, "sw", 0x00002023, 0x0000707f, FMT_S)                \
    X(sd, "sd", 0x00003023, 0x0000707f, FMT_S)                \
    X(addi, "addi", 0x00000013, 0x0000707f, FMT_I)            \
    X(slti, "slti", 0x00002013, 0x0000707f, FMT_I)            \
    X(sltiu, "sltiu", 0x00003013, 0x0000707f, FMT_I)          \
    X(xori, "xori", 0x00004013, 0x0000707f, FMT_I)            \
    X(ori, "ori", 0x00006013, 0x0000707f, FMT_I)              \
    X(andi, "andi", 0x00007013, 0x0000707f, FMT_I)            \
    X(slli, "slli", 0x00001013, 0xfc00707f, FMT_SHIFT)        \
    X(srli, "srli", 0x00005013, 0xfc00707f, FMT_SHIFT)        \
    X(srai, "srai", 0x40005013, 0xfc00707f, FMT_SHIFT)        \
    X(add, "add", 0x00000033, 0xfe00707f, FMT_R)              \
    X(sub, "sub", 0x40000033, 0xfe00707f, FMT_R)              \
    X(sll, "sll", 0x00001033, 0xfe00707f, FMT_R)              \
    X(slt, "slt", 0x00002033, 0xfe00707f, FMT_R)              \
    X(sltu, "sltu", 0x00003033, 0xfe00707f, FMT_R)            \
    X(xor, "xor", 0x00004033, 0xfe00707f, FMT_R)              \
    X(srl, "srl", 0x00005033, 0xfe00707f, FMT_R)              \
    X(sra, "sra", 0x40005033, 0xfe00707f, FMT_R)              \
    X(or, "or", 0x00006033, 0xfe00707f, FMT_R)                \
    X(and, "and", 0x00007033, 0xfe00707f, FMT_R)              \
    X(addiw, "addiw", 0x0000001b, 0x0000707f, FMT_I)          \
    X(slliw, "slliw", 0x0000101b, 0xfe00707f, FMT_SHIFT)      \
    X(srliw, "srliw", 0x0000501b, 0xfe00707f, FMT_SHIFT)      \
    X(sraiw, "sraiw", 0x4000501b, 0xfe00707f, FMT_SHIFT)      \
    X(addw, "addw", 0x0000003b, 0xfe00707f, FMT_R)            \
    X(subw, "subw", 0x4000003b, 0xfe00707f, FMT_R)            \
    X(sllw, "sllw", 0x0000103b, 0xfe00707f, FMT_R)            \
    X(srlw, "srlw", 0x0000503b, 0xfe00707f, FMT_R)            \
    X(sraw, "sraw", 0x4000503b, 0xfe00707f, FMT_R)            \
    X(fence, "fence", 0x0000000f, 0x0000707f, FMT_FENCE)      \
    X(ecall, "ecall", 0x00000073, 0xffffffff, FMT_NONE)       \
    X(ebreak, "ebreak", 0x00100073, 0xffffffff, FMT_NONE)

/* Zifencei. */
#define ZIFENCEI_INSNS(X) X(fence_i, "fence.i", 0x0000100f, 0x0000707f, FMT_NONE)

/* M: integer multiply and divide. */
#define RV64M_INSNS(X)                                        \
    X(mul, "mul", 0x02000033, 0xfe00707f, FMT_R)              \
    X(mulh, "mulh", 0x02001033, 0xfe00707f, FMT_R)            \
    X(mulhsu, "mulhsu", 0x02002033, 0xfe00707f, FMT_R)        \
    X(mulhu, "mulhu", 0x02003033, 0xfe00707f, FMT_R)          \
    X(div, "div", 0x02004033, 0xfe00707f, FMT_R)              \
    X(divu, "divu", 0x02005033, 0xfe00707f, FMT_R)            \
    X(rem, "rem", 0x02006033, 0xfe00707f, FMT_R)              \
    X(remu, "remu", 0x02007033, 0xfe00707f, FMT_R)            \
    X(mulw, "mulw", 0x0200003b, 0xfe00707f, FMT_R)            \
    X(divw, "divw", 0x0200403b, 0xfe00707f, FMT_R)            \
    X(divuw, "divuw", 0x0200503b, 0xfe00707f, FMT_R)          \
    X(remw, "remw", 0x0200603b, 0xfe00707f, FMT_R)            \
    X(remuw, "remuw", 0x0200703b, 0xfe00707f, FMT_R)

/* A: atomics. aq/rl (bits 26/25) are outside the masks: with one hart every
 * access is already in program order. */
#define RV64A_INSNS(X)                                            \
    X(lr_w, "lr.w", 0x1000202f, 0xf9f0707f, FMT_LR)               \
    X(sc_w, "sc.w", 0x1800202f, 0xf800707f, FMT_AMO)              \
    X(amoswap_w, "amoswap.w", 0x0800202f, 0xf800707f, FMT_AMO)    \
    X(amoadd_w, "amoadd.w", 0x0000202f, 0xf800707f, FMT_AMO)      \
    X(amoxor_w, "amoxor.w", 0x2000202f, 0xf800707f, FMT_AMO)      \
    X(amoand_w, "amoand.w", 0x6000202f, 0xf800707f, FMT_AMO)      \
    X(amoor_w, "amoor.w", 0x4000202f, 0xf800707f, FMT_AMO)        \
    X(amomin_w, "amomin.w", 0x8000202f, 0xf800707f, FMT_AMO)      \
    X(amomax_w, "amomax.w", 0xa000202f, 0xf800707f, FMT_AMO)      \
    X(amominu_w, "amominu.w", 0xc000202f, 0xf800707f, FMT_AMO)    \
    X(amomaxu_w, "amomaxu.w", 0xe000202f, 0xf800707f, FMT_AMO)    \
    X(lr_d, "lr.d", 0x1000302f, 0xf9f0707f, FMT_LR)               \
    X(sc_d, "sc.d", 0x1800302f, 0xf800707f, FMT_AMO)              \
    X(amoswap_d, "amoswap.d", 0x0800302f, 0xf800707f, FMT_AMO)    \
    X(amoadd_d, "amoadd.d", 0x0000302f, 0xf800707f, FMT_AMO)      \
    X(amoxor_d, "amoxor.d", 0x2000302f, 0xf800707f, FMT_AMO)      \
    X(amoand_d, "amoand.d", 0x6000302f, 0xf800707f, FMT_AMO)      \
    X(amoor_d, "amoor.d", 0x4000302f, 0xf800707f, FMT_AMO)        \
    X(amomin_d, "amomin.d", 0x8000302f, 0xf800707f, FMT_AMO)      \
    X(amomax_d, "amomax.d", 0xa000302f, 0xf800707f, FMT_AMO)      \
    X(amominu_d, "amominu.d", 0xc000302f, 0xf800707f, FMT_AMO)    \
    X(amomaxu_d, "amomaxu.d", 0xe000302f, 0xf800707f, FMT_AMO)

/* Zicsr. */
#define ZICSR_INSNS(X)                                        \
    X(csrrw, "csrrw", 0x00001073, 0x0000707f, FMT_CSR)        \
    X(csrrs, "csrrs", 0x00002073, 0x0000707f, FMT_CSR)        \
    X(csrrc, "csrrc", 0x00003073, 0x0000707f, FMT_CSR)        \
    X(csrrwi, "csrrwi", 0x00005073, 0x0000707f, FMT_CSRI)     \
    X(csrrsi, "csrrsi", 0x00006073, 0x0000707f, FMT_CSRI)     \
    X(csrrci, "csrrci", 0x00007073, 0x0000707f, FMT_CSRI)

/* Zba: address generation. */
#define ZBA_INSNS(X)                                              \
    X(sh1add, "sh1add", 0x20002033, 0xfe00707f, FMT_R)            \
    X(sh2add, "sh2add", 0x20004033, 0xfe00707f, FMT_R)            \
    X(sh3add, "sh3add", 0x20006033, 0xfe00707f, FMT_R)            \
    X(add_uw, "add.uw", 0x0800003b, 0xfe00707f, FMT_R)            \
    X(sh1add_uw, "sh1add.uw", 0x2000203b, 0xfe00707f, FMT_R)      \
    X(sh2add_uw, "sh2add.uw", 0x2000403b, 0xfe00707f, FMT_R)      \
    X(sh3add_uw, "sh3add.uw", 0x2000603b, 0xfe00707f, FMT_R)      \
    X(slli_uw, "slli.uw", 0x0800101b, 0xfc00707f, FMT_SHIFT)

/* Zbb: basic bit manipulation. */
#define ZBB_INSNS(X)                                          \
    X(andn, "andn", 0x40007033, 0xfe00707f, FMT_R)            \
    X(orn, "orn", 0x40006033, 0xfe00707f, FMT_R)              \
    X(xnor, "xnor", 0x40004033, 0xfe00707f, FMT_R)            \
    X(clz, "clz", 0x60001013, 0xfff0707f, FMT_R1)             \
    X(ctz, "ctz", 0x60101013, 0xfff0707f, FMT_R1)             \
    X(cpop, "cpop", 0x60201013, 0xfff0707f, FMT_R1)           \
    X(clzw, "clzw", 0x6000101b, 0xfff0707f, FMT_R1)           \
    X(ctzw, "ctzw", 0x6010101b, 0xfff0707f, FMT_R1)           \
    X(cpopw, "cpopw", 0x6020101b, 0xfff0707f, FMT_R1)         \
    X(max, "max", 0x0a006033, 0xfe00707f, FMT_R)              \
    X(maxu, "maxu", 0x0a007033, 0xfe00707f, FMT_R)            \
    X(min, "min", 0x0a004033, 0xfe00707f, FMT_R)              \
    X(minu, "minu", 0x0a005033, 0xfe00707f, FMT_R)            \
    X(sext_b, "sext.b", 0x60401013, 0xfff0707f, FMT_R1)       \
    X(sext_h, "sext.h", 0x60501013, 0xfff0707f, FMT_R1)       \
    X(zext_h, "zext.h", 0x0800403b, 0xfff0707f, FMT_R1)       \
    X(rol, "rol", 0x60001033, 0xfe00707f, FMT_R)              \
    X(ror, "ror", 0x60005033, 0xfe00707f, FMT_R)              \
    X(rori, "rori", 0x60005013, 0xfc00707f, FMT_SHIFT)        \
    X(rolw, "rolw", 0x6000103b, 0xfe00707f, FMT_R)            \
    X(rorw, "rorw", 0x6000503b, 0xfe00707f, FMT_R)            \
    X(roriw, "roriw", 0x6000501b, 0xfe00707f, FMT_SHIFT)      \
    X(orc_b, "orc.b", 0x28705013, 0xfff0707f, FMT_R1)         \
    X(rev8, "rev8", 0x6b805013, 0xfff0707f, FMT_R1)

/* Zbs: single-bit instructions. */
#define ZBS_INSNS(X)                                          \
    X(bclr, "bclr", 0x48001033, 0xfe00707f, FMT_R)            \
    X(bclri, "bclri", 0x48001013, 0xfc00707f, FMT_SHIFT)      \
    X(bext, "bext", 0x48005033, 0xfe00707f, FMT_R)            \
    X(bexti, "bexti", 0x48005013, 0xfc00707f, FMT_SHIFT)      \
    X(binv, "binv", 0x68001033, 0xfe00707f, FMT_R)            \
    X(binvi, "binvi", 0x68001013, 0xfc00707f, FMT_SHIFT)      \
    X(bset, "bset", 0x28001033, 0xfe00707f, FMT_R)            \
    X(bseti, "bseti", 0x28001013, 0xfc00707f, FMT_SHIFT)

/* Zicbom and Zicboz: cache-block operations (MISC-MEM, funct3 = 2). */
#define ZICBO_INSNS(X)                                              \
    X(cbo_inval, "cbo.inval", 0x0000200f, 0xfff07fff, FMT_CBO)      \
    X(cbo_clean, "cbo.clean", 0x0010200f, 0xfff07fff, FMT_CBO)      \
    X(cbo_flush, "cbo.flush", 0x0020200f, 0xfff07fff, FMT_CBO)      \
    X(cbo_zero, "cbo.zero", 0x0040200f, 0xfff07fff, FMT_CBO)

/* Privileged instructions. */
#define PRIV_INSNS(X)                                                 \
    X(sret, "sret", 0x10200073, 0xffffffff, FMT_NONE)                 \
    X(mret, "mret", 0x30200073, 0xffffffff, FMT_NONE)                 \
    X(wfi, "wfi", 0x10500073, 0xffffffff, FMT_NONE)                   \
    X(sfence_vma, "sfence.vma", 0x12000073, 0xfe007fff, FMT_SFENCE)

/* clang-format on */
#define RV64_ALL_INSNS(X)                                                                          \
    RV64I_INSNS(X)                                                                                 \
    ZIFENCEI_INSNS(X)                                                                              \
    RV64M_INSNS(X)                                                                                 \
    RV64A_INSNS(X)                                                                                 \
    ZICSR_INSNS(X)                                                                                 \
    ZBA_INSNS(X)                                                                                   \
    ZBB_INSNS(X)                                                                                   \
    ZBS_INSNS(X)                                                                                   \
    ZICBO_INSNS(X)                                                                                 \
    PRIV_INSNS(X)

#endif
