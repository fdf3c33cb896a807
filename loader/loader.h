/*
 * loader.h - reads a file into a description of what to place in memory.
 *
 * Three inputs: an ELF relocatable object (the `clang -c` output a kernel
 * developer has), a linked ELF (ET_EXEC / ET_DYN), or a raw image (an arm64
 * `Image`) with a System.map. The loader writes no guest memory: it returns
 * segments (bytes with their VA and PA), a symbol table, and the decoded
 * `__ex_table`. sim/ places the segments.
 *
 * Every error is one line starting with the file name, written into the
 * caller's buffer; the loader never exits or prints.
 */
#ifndef RASIM_LOADER_H
#define RASIM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ld_arch {
    LD_ARCH_NONE,
    LD_ARCH_AARCH64,
    LD_ARCH_RV64,
};

enum ld_kind {
    LD_KIND_REL,   /* ET_REL: sections placed at a base, relocations applied */
    LD_KIND_EXEC,  /* ET_EXEC: program headers */
    LD_KIND_DYN,   /* ET_DYN: program headers at a base, RELATIVE relocs */
    LD_KIND_IMAGE, /* raw bytes at a load PA, linked at a VA, System.map */
};

/* Section / segment flags. */
#define LD_ALLOC  (1u << 0)
#define LD_WRITE  (1u << 1)
#define LD_EXEC   (1u << 2)
#define LD_NOBITS (1u << 3)

/* What sim/ writes into memory: filesz bytes, then zeros up to memsz. */
struct ld_segment {
    uint64_t va;
    uint64_t pa;
    uint64_t memsz;
    uint64_t filesz;
    uint8_t *bytes;
    unsigned flags;
};

/* A section as placed, for display and for relating addresses to files. */
struct ld_section {
    char *name;
    uint64_t va;
    uint64_t size;
    uint64_t align;
    unsigned flags;
};

enum ld_sym_type {
    LD_SYM_NOTYPE,
    LD_SYM_FUNC,
    LD_SYM_OBJECT,
    LD_SYM_OTHER, /* section, file, absolute constants: never name an address */
};

struct ld_symbol {
    char *name;
    uint64_t va;
    uint64_t size;
    enum ld_sym_type type;
    bool global;
    /* May name addresses in symbol+offset output: functions, objects, and
     * global labels; never .L temporaries, $x/$d mapping symbols, sections. */
    bool names_address;
};

/* One 12-byte `__ex_table` entry, offsets already resolved to addresses. */
struct ld_extable_entry {
    uint64_t entry_va; /* where the entry itself is */
    uint64_t insn;     /* faulting instruction */
    uint64_t fixup;    /* continuation (for BPF entries: the raw packed field) */
    uint16_t type;     /* EX_TYPE_* number, meaning per kernel profile */
    uint16_t data;
};

struct ld_image {
    char *path;
    enum ld_arch arch;
    enum ld_kind kind;
    uint64_t entry;
    struct ld_segment *segments;
    size_t nsegments;
    struct ld_section *sections;
    size_t nsections;
    struct ld_symbol *symbols; /* sorted by va */
    size_t nsymbols;
    struct ld_extable_entry *extable; /* sorted by insn */
    size_t nextable;
};

/* A value supplied for an undefined symbol (`--define NAME=ADDR`). */
struct ld_define {
    const char *name;
    uint64_t value;
};

struct ld_options {
    enum ld_arch arch; /* required for raw images; else checked against the file */
    bool base_set;           /* ET_REL / ET_DYN placement base */
    uint64_t base;
    bool default_base_set;   /* ET_REL without base: here instead of the usual default */
    uint64_t default_base;
    const char *map_path; /* System.map: makes FILE a raw image */
    uint64_t load_pa;     /* raw image: where its bytes go */
    uint64_t link_va;     /* raw image: the VA it was linked at */
    bool link_va_set;
    const struct ld_define *defines;
    size_t ndefines;
};

/* Default base for relocatable objects when none is given. */
#define LD_DEFAULT_BASE_AARCH64 0x40080000ull
#define LD_DEFAULT_BASE_RV64    0x80000000ull

int ld_load(const char *path, const struct ld_options *opt, struct ld_image **out, char *err,
            size_t errlen);
/* The same from bytes in memory; name stands for the file in messages. */
int ld_load_buffer(const char *name, const uint8_t *bytes, size_t size,
                   const struct ld_options *opt, struct ld_image **out, char *err,
                   size_t errlen);
void ld_image_free(struct ld_image *img);

const char *ld_arch_name(enum ld_arch arch);
enum ld_arch ld_arch_from_name(const char *name);
const char *ld_kind_name(enum ld_kind kind);

/* Symbol by exact name, or NULL. */
const struct ld_symbol *ld_find_symbol(const struct ld_image *img, const char *name);
/* The nearest preceding symbol that names addresses, or NULL; *offset = va - symbol. */
const struct ld_symbol *ld_symbol_for(const struct ld_image *img, uint64_t va, uint64_t *offset);
/* "name+0xOFF" (or "0xADDR" when nothing names it) into buf. */
void ld_describe(const struct ld_image *img, uint64_t va, char *buf, size_t len);
/* The extable entry for a faulting instruction, or NULL (binary search). */
const struct ld_extable_entry *ld_extable_find(const struct ld_image *img, uint64_t insn);

#endif
