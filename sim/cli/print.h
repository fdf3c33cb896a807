/*
 * print.h - how the CLI prints instructions, extable entries, recoveries and
 * page-table walks, shared by `rasim disasm`, `call`, `pt` and `step` so
 * each looks the same wherever it appears. Everything goes to stdout.
 */
#ifndef RASIM_CLI_PRINT_H
#define RASIM_CLI_PRINT_H

#include "rasim.h"

#include <stddef.h>
#include <stdint.h>

/* The encoding as `rasim disasm` columns it: 8 hex digits, or 4 and
 * padding for a compressed RV64 instruction, then two spaces. */
void print_insn_word(const struct rasim_insn_text *t);
/* Capstone's and our RV64 text, the operands aligned after the mnemonic. */
void print_insn_text(const char *text);
/* One line of `rasim disasm`, without the newline:
 *   <mark><va>  <sym+off>  <encoding>  <text>  # extable -> <fixup> TYPE(n) err=.. zero=..
 * mark: "  " for `rasim disasm`; the stepper gives "   ", or "=> " for the PC. */
void print_disasm_line(rasim_machine *m, const struct rasim_insn_text *t, const char *mark);
/* " # extable -> <fixup-sym>+0x<off> <TYPE>(<n>) err=<reg> zero=<reg>" ("//"
 * on arm64), as the end of a disasm line. */
void print_extable(rasim_machine *m, const struct rasim_extable_entry *e);
/* A recovery of the kernel model, one line with its newline:
 *   fixup f+0x20 -> f+0x2e type=FIXUP(1) access-fault va=0x... pa=0x... */
void print_fixup(rasim_machine *m, const struct rasim_fixup *f);
/* A size as 4K, 2M, 1G, or hex when it is none of those. */
const char *print_size(uint64_t size, char *buf, size_t len);
/* The lines of `rasim pt walk`: each entry read, then the translation
 *   pa=0x<hex> size=<size> <attributes>     or     fault=<kind> level=<n> */
void print_walk(const struct rasim_pt_walk *w);

#endif
