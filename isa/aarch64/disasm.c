/*
 * disasm.c - A64 disassembly for traces, by capstone.
 *
 * Capstone 4 (Debian 12) predates some of our subset (MTE, CASP, LDAPR);
 * for a word it does not know the text is ".inst 0x<word>" followed by the
 * name of the encoding our decoder matched, so a trace always says what ran.
 */
#include "isa/aarch64/aarch64.h"
#include "isa/aarch64/insn.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

/* One handle per thread: capstone handles are not safe to share, and
 * opening one per instruction would dominate a trace. */
static _Thread_local csh handle;
static _Thread_local bool opened, broken;

int a64_disasm(uint32_t word, uint64_t pc, char *buf, size_t len)
{
    if (!opened && !broken) {
        broken = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle) != CS_ERR_OK;
        opened = !broken;
    }
    if (opened) {
        uint8_t bytes[4] = {(uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16),
                            (uint8_t)(word >> 24)};
        cs_insn *insn;
        size_t n = cs_disasm(handle, bytes, sizeof(bytes), pc, 1, &insn);
        if (n == 1) {
            int r = insn->op_str[0] ? snprintf(buf, len, "%s\t%s", insn->mnemonic, insn->op_str)
                                    : snprintf(buf, len, "%s", insn->mnemonic);
            cs_free(insn, n);
            return r;
        }
        if (n)
            cs_free(insn, n);
    }
    return snprintf(buf, len, ".inst\t0x%08x\t// %s", word, a64_decode_name(word));
}

bool a64_in_subset(uint32_t word)
{
    return strcmp(a64_decode_name(word), "UNDEFINED") != 0;
}
