/*
 * elf_rel.c - place a relocatable object (ET_REL) at a base address and
 * apply its relocations, as a module loader does.
 *
 * Allocated sections are laid out in four page-aligned groups, code, then
 * read-only data, then writable data, then zero-fill, so a later mapping can
 * give each group its own permissions. Within a group, sections keep their
 * file order and alignment.
 */
#include "loader/elf_common.h"
#include "loader/reloc.h"

#include <stdlib.h>
#include <string.h>

struct rel_section {
    GElf_Shdr sh;
    const char *name;
    bool placed;
    uint64_t va;
    uint8_t *bytes; /* our copy, relocated in place */
};

struct rel_state {
    const struct elf_view *v;
    const struct ld_options *opt;
    struct ld_image *img;
    struct rel_section *secs;
    size_t symtab;
    size_t nsyms;
    uint64_t common_va;    /* next free address for SHN_COMMON symbols */
    uint64_t *common_addr; /* by symbol index: where each common symbol went */
    struct ld_rv_hi20_table hi20;
};

/* Groups start on a page so each can be mapped with its own permissions. */
#define PAGE_ALIGN 4096ull

enum group { G_EXEC, G_RODATA, G_DATA, G_BSS, G_COUNT };

static enum group group_of(const GElf_Shdr *sh)
{
    if (sh->sh_flags & SHF_EXECINSTR)
        return G_EXEC;
    if (sh->sh_type == SHT_NOBITS)
        return G_BSS;
    return (sh->sh_flags & SHF_WRITE) ? G_DATA : G_RODATA;
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
    return a > 1 ? (x + a - 1) & ~(a - 1) : x;
}

static int place_sections(struct rel_state *st, uint64_t base)
{
    const struct elf_view *v = st->v;
    uint64_t at = base;
    for (int g = 0; g < G_COUNT; g++) {
        at = align_up(at, PAGE_ALIGN);
        for (size_t i = 1; i < v->shnum; i++) {
            struct rel_section *s = &st->secs[i];
            if (!(s->sh.sh_flags & SHF_ALLOC) || s->sh.sh_type == SHT_NULL ||
                group_of(&s->sh) != (enum group)g)
                continue;
            uint64_t align = s->sh.sh_addralign ? s->sh.sh_addralign : 1;
            if (align & (align - 1))
                return ld_fail(v->ctx, "section %s has alignment %llu, not a power of two", s->name,
                               (unsigned long long)align);
            if (align > PAGE_ALIGN * 16)
                return ld_fail(v->ctx, "section %s asks for alignment %llu (more than 64 KiB)",
                               s->name, (unsigned long long)align);
            if (s->sh.sh_size > LD_MAX_SIZE)
                return ld_fail(v->ctx, "section %s claims 0x%llx bytes (more than 1 GiB)",
                               s->name, (unsigned long long)s->sh.sh_size);
            at = align_up(at, align);
            s->va = at;
            s->placed = true;
            /* Zero-fill sections need no host copy: nothing relocates them. */
            if (s->sh.sh_type != SHT_NOBITS) {
                s->bytes = malloc(s->sh.sh_size ? s->sh.sh_size : 1);
                if (!s->bytes)
                    return ld_fail(v->ctx, "out of host memory for section %s (%llu bytes)",
                                   s->name, (unsigned long long)s->sh.sh_size);
                memcpy(s->bytes, elf_section_bytes(v, &s->sh), s->sh.sh_size);
            }
            if (at + s->sh.sh_size < at)
                return ld_fail(v->ctx, "section %s at 0x%llx wraps the address space", s->name,
                               (unsigned long long)at);
            at += s->sh.sh_size;
        }
    }
    st->common_va = align_up(at, 16);
    return 0;
}

static const struct ld_define *find_define(const struct ld_options *opt, const char *name)
{
    for (size_t i = 0; i < opt->ndefines; i++)
        if (!strcmp(opt->defines[i].name, name))
            return &opt->defines[i];
    return NULL;
}

/* The value of symbol i, as a static linker would compute it. */
static int symbol_value(struct rel_state *st, size_t i, uint64_t *value, const char **name)
{
    GElf_Sym sym;
    if (elf_symbol(st->v, st->symtab, i, &sym, name) < 0)
        return -1;
    unsigned type = GELF_ST_TYPE(sym.st_info);
    if (type == STT_SECTION && sym.st_shndx < st->v->shnum)
        *name = st->secs[sym.st_shndx].name;
    switch (sym.st_shndx) {
    case SHN_UNDEF: {
        const struct ld_define *d = find_define(st->opt, *name);
        if (d) {
            *value = d->value;
            return 0;
        }
        if (GELF_ST_BIND(sym.st_info) == STB_WEAK) {
            *value = 0;
            return 0;
        }
        return ld_fail(st->v->ctx, "undefined symbol '%s' (give its address with --define %s=ADDR)",
                       *name, *name);
    }
    case SHN_ABS: *value = sym.st_value; return 0;
    case SHN_COMMON: *value = st->common_addr[i]; return 0;
    default:
        if (sym.st_shndx >= st->v->shnum)
            return ld_fail(st->v->ctx, "symbol '%s' is in section %u, beyond the %zu sections",
                           *name, sym.st_shndx, st->v->shnum);
        if (!st->secs[sym.st_shndx].placed)
            return ld_fail(st->v->ctx, "symbol '%s' is in non-allocated section %s", *name,
                           st->secs[sym.st_shndx].name);
        *value = st->secs[sym.st_shndx].va + sym.st_value;
        return 0;
    }
}

/* Common symbols (uninitialised tentative definitions) get zero-fill space. */
static int place_commons(struct rel_state *st)
{
    uint64_t start = st->common_va, at = start;
    for (size_t i = 1; i < st->nsyms; i++) {
        GElf_Sym sym;
        const char *name;
        if (elf_symbol(st->v, st->symtab, i, &sym, &name) < 0)
            return -1;
        if (sym.st_shndx != SHN_COMMON)
            continue;
        uint64_t align = sym.st_value ? sym.st_value : 1;
        if ((align & (align - 1)) || align > 4096 || sym.st_size > LD_MAX_SIZE)
            return ld_fail(st->v->ctx, "common symbol '%s' has alignment %llu and size 0x%llx",
                           name, (unsigned long long)sym.st_value,
                           (unsigned long long)sym.st_size);
        at = align_up(at, align);
        st->common_addr[i] = at;
        elf_add_image_symbol(st->img, &sym, name, at);
        at += sym.st_size;
    }
    if (at > start) {
        struct ld_section *s = ld_add_section(st->img, "COMMON");
        s->va = start;
        s->size = at - start;
        s->align = 16;
        s->flags = LD_ALLOC | LD_WRITE | LD_NOBITS;
        struct ld_segment *seg = ld_add_segment(st->img);
        seg->va = seg->pa = start;
        seg->memsz = at - start;
        seg->flags = s->flags;
    }
    return 0;
}

/* Iterate over the RELA sections that relocate placed sections. */
static int check_rela(struct rel_state *st, size_t i, const GElf_Shdr *sh, bool *relevant)
{
    const struct elf_view *v = st->v;
    *relevant = false;
    if (sh->sh_type == SHT_REL) {
        if (sh->sh_info < v->shnum && st->secs[sh->sh_info].placed)
            return ld_fail(v->ctx, "section %s uses REL relocations; only RELA is supported",
                           st->secs[i].name);
        return 0;
    }
    if (sh->sh_type != SHT_RELA)
        return 0;
    if (sh->sh_info == 0 || sh->sh_info >= v->shnum)
        return ld_fail(v->ctx, "relocation section %s applies to missing section %u",
                       st->secs[i].name, sh->sh_info);
    if (!st->secs[sh->sh_info].placed)
        return 0; /* debug information: not loaded, not relocated */
    if (st->secs[sh->sh_info].sh.sh_type == SHT_NOBITS && sh->sh_size)
        return ld_fail(v->ctx, "relocation section %s applies to zero-fill section %s",
                       st->secs[i].name, st->secs[sh->sh_info].name);
    if (sh->sh_link != st->symtab)
        return ld_fail(v->ctx, "relocation section %s does not use the symbol table",
                       st->secs[i].name);
    if (sh->sh_entsize != sizeof(Elf64_Rela))
        return ld_fail(v->ctx, "relocation section %s has entry size %llu, not %zu",
                       st->secs[i].name, (unsigned long long)sh->sh_entsize, sizeof(Elf64_Rela));
    *relevant = true;
    return 0;
}

static int read_reloc(struct rel_state *st, size_t rela_idx, size_t k, struct ld_reloc *r)
{
    const GElf_Shdr *sh = &st->secs[rela_idx].sh;
    Elf64_Rela rela;
    memcpy(&rela, elf_section_bytes(st->v, sh) + k * sizeof(rela), sizeof(rela));
    struct rel_section *target = &st->secs[sh->sh_info];
    size_t symi = ELF64_R_SYM(rela.r_info);
    memset(r, 0, sizeof(*r));
    r->type = ELF64_R_TYPE(rela.r_info);
    r->section = target->name;
    r->offset = rela.r_offset;
    r->A = rela.r_addend;
    if (rela.r_offset >= target->sh.sh_size)
        return ld_fail(
            st->v->ctx,
            "relocation %zu of %s is at offset 0x%llx, past the end of %s (0x%llx bytes)", k,
            st->secs[rela_idx].name, (unsigned long long)rela.r_offset, target->name,
            (unsigned long long)target->sh.sh_size);
    if (symi >= st->nsyms)
        return ld_fail(st->v->ctx,
                       "relocation at %s+0x%llx uses symbol index %zu, beyond the %zu symbols",
                       target->name, (unsigned long long)rela.r_offset, symi, st->nsyms);
    r->loc = target->bytes + rela.r_offset;
    r->avail = target->sh.sh_size - rela.r_offset;
    r->P = target->va + rela.r_offset;
    r->symbol = "";
    if (symi == 0) {
        r->S = 0;
        return 0;
    }
    return symbol_value(st, symi, &r->S, &r->symbol);
}

/* RISC-V: collect every PCREL_HI20 first; its LO12 partner may come earlier. */
static int collect_hi20(struct rel_state *st, size_t rela_idx)
{
    const GElf_Shdr *sh = &st->secs[rela_idx].sh;
    size_t n = sh->sh_size / sizeof(Elf64_Rela);
    for (size_t k = 0; k < n; k++) {
        struct ld_reloc r;
        if (read_reloc(st, rela_idx, k, &r) < 0)
            return -1;
        if (r.type != R_RISCV_PCREL_HI20)
            continue;
        struct ld_rv_hi20 *grown =
            realloc(st->hi20.items, (st->hi20.count + 1) * sizeof(*st->hi20.items));
        if (!grown)
            return ld_fail(st->v->ctx, "out of host memory");
        st->hi20.items = grown;
        grown[st->hi20.count].place = r.P;
        grown[st->hi20.count].value = r.S + (uint64_t)r.A - r.P;
        st->hi20.count++;
    }
    return 0;
}

static int apply_relocations(struct rel_state *st)
{
    const struct elf_view *v = st->v;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && v->arch != LD_ARCH_RV64)
            continue;
        for (size_t i = 1; i < v->shnum; i++) {
            bool relevant;
            if (check_rela(st, i, &st->secs[i].sh, &relevant) < 0)
                return -1;
            if (!relevant)
                continue;
            const GElf_Shdr *sh = &st->secs[i].sh;
            if (pass == 0) {
                if (collect_hi20(st, i) < 0)
                    return -1;
                continue;
            }
            size_t n = sh->sh_size / sizeof(Elf64_Rela);
            for (size_t k = 0; k < n; k++) {
                struct ld_reloc r;
                if (read_reloc(st, i, k, &r) < 0)
                    return -1;
                int rc = v->arch == LD_ARCH_AARCH64 ? ld_reloc_aarch64(v->ctx, &r)
                                                    : ld_reloc_riscv(v->ctx, &r, &st->hi20);
                if (rc < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static void add_symbols(struct rel_state *st)
{
    for (size_t i = 1; i < st->nsyms; i++) {
        GElf_Sym sym;
        const char *name;
        if (elf_symbol(st->v, st->symtab, i, &sym, &name) < 0)
            continue;
        unsigned type = GELF_ST_TYPE(sym.st_info);
        if (type == STT_SECTION || type == STT_FILE || !name[0])
            continue;
        if (sym.st_shndx == SHN_ABS) {
            elf_add_image_symbol(st->img, &sym, name, sym.st_value);
        } else if (sym.st_shndx != SHN_UNDEF && sym.st_shndx != SHN_COMMON &&
                   sym.st_shndx < st->v->shnum && st->secs[sym.st_shndx].placed) {
            elf_add_image_symbol(st->img, &sym, name, st->secs[sym.st_shndx].va + sym.st_value);
        }
    }
}

/* Hand the relocated sections to the image; the image owns the bytes after. */
static int emit_sections(struct rel_state *st)
{
    for (size_t i = 1; i < st->v->shnum; i++) {
        struct rel_section *s = &st->secs[i];
        if (!s->placed)
            continue;
        unsigned flags = LD_ALLOC;
        if (s->sh.sh_flags & SHF_WRITE)
            flags |= LD_WRITE;
        if (s->sh.sh_flags & SHF_EXECINSTR)
            flags |= LD_EXEC;
        if (s->sh.sh_type == SHT_NOBITS)
            flags |= LD_NOBITS;
        struct ld_section *sec = ld_add_section(st->img, s->name);
        sec->va = s->va;
        sec->size = s->sh.sh_size;
        sec->align = s->sh.sh_addralign;
        sec->flags = flags;
        if (!strcmp(s->name, "__ex_table") &&
            ld_parse_extable(st->v->ctx, st->img, s->va, s->bytes, s->sh.sh_size) < 0)
            return -1;
        if (s->sh.sh_size == 0)
            continue;
        struct ld_segment *seg = ld_add_segment(st->img);
        seg->va = seg->pa = s->va;
        seg->memsz = s->sh.sh_size;
        seg->filesz = (flags & LD_NOBITS) ? 0 : s->sh.sh_size;
        seg->flags = flags;
        if (seg->filesz) {
            seg->bytes = s->bytes;
            s->bytes = NULL;
        }
    }
    return 0;
}

int elf_read_rel(const struct elf_view *v, const struct ld_options *opt, struct ld_image *img)
{
    struct rel_state st = {.v = v, .opt = opt, .img = img};
    int rc = -1;
    img->kind = LD_KIND_REL;
    st.secs = calloc(v->shnum ? v->shnum : 1, sizeof(*st.secs));
    if (!st.secs)
        return ld_fail(v->ctx, "out of host memory");
    for (size_t i = 0; i < v->shnum; i++) {
        if (elf_section(v, i, &st.secs[i].sh) < 0)
            goto out;
        st.secs[i].name = elf_section_name(v, &st.secs[i].sh);
    }
    st.symtab = elf_find_symtab(v, SHT_SYMTAB);
    st.nsyms = st.symtab ? elf_symbol_count(v, st.symtab) : 0;
    st.common_addr = calloc(st.nsyms ? st.nsyms : 1, sizeof(*st.common_addr));
    if (!st.common_addr) {
        ld_fail(v->ctx, "out of host memory");
        goto out;
    }
    if (st.symtab && st.nsyms == 0 && st.secs[st.symtab].sh.sh_size)
        goto bad_symtab;

    uint64_t base = opt->base_set                ? opt->base
                    : opt->default_base_set      ? opt->default_base
                    : v->arch == LD_ARCH_AARCH64 ? LD_DEFAULT_BASE_AARCH64
                                                 : LD_DEFAULT_BASE_RV64;
    if (place_sections(&st, base) < 0 || place_commons(&st) < 0 || apply_relocations(&st) < 0)
        goto out;
    add_symbols(&st);
    if (emit_sections(&st) < 0)
        goto out;
    img->entry = base;
    rc = 0;
    goto out;
bad_symtab:
    ld_fail(v->ctx, "symbol table entry size %llu is not %zu",
            (unsigned long long)st.secs[st.symtab].sh.sh_entsize, sizeof(Elf64_Sym));
out:
    for (size_t i = 0; i < v->shnum; i++)
        free(st.secs[i].bytes);
    free(st.secs);
    free(st.common_addr);
    free(st.hi20.items);
    return rc;
}
