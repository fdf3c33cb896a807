/* elf_common.h - a validated view of an ELF file, shared by the ELF readers. */
#ifndef RASIM_ELF_COMMON_H
#define RASIM_ELF_COMMON_H

#include "loader/loader_internal.h"

#include <gelf.h>

/*
 * Every offset and count in the file has been checked against the file size
 * before libelf is asked for anything, so no reader below can be led out of
 * the buffer by a malformed header.
 */
struct elf_view {
    const struct ld_ctx *ctx;
    Elf *elf;
    const uint8_t *file;
    size_t file_size;
    GElf_Ehdr ehdr;
    size_t shnum;
    size_t shstrndx;
    enum ld_arch arch;
};

/* Section header i (already validated), and its name ("" if it has none). */
int elf_section(const struct elf_view *v, size_t i, GElf_Shdr *sh);
const char *elf_section_name(const struct elf_view *v, const GElf_Shdr *sh);
/* The section's bytes inside the file. */
const uint8_t *elf_section_bytes(const struct elf_view *v, const GElf_Shdr *sh);

/* The symbol table: its index, or 0 if none (type SHT_SYMTAB, else SHT_DYNSYM). */
size_t elf_find_symtab(const struct elf_view *v, uint32_t type);
/* Symbol i of the table in section symtab_idx, with its name. */
int elf_symbol(const struct elf_view *v, size_t symtab_idx, size_t i, GElf_Sym *sym,
               const char **name);
size_t elf_symbol_count(const struct elf_view *v, size_t symtab_idx);

/* Readers by ELF type. */
int elf_read_rel(const struct elf_view *v, const struct ld_options *opt, struct ld_image *img);
int elf_read_linked(const struct elf_view *v, const struct ld_options *opt, struct ld_image *img);

/* Record a symbol in the image with the naming rules of loader.h. */
void elf_add_image_symbol(struct ld_image *img, const GElf_Sym *sym, const char *name, uint64_t va);

#endif
