/*
 * elf_file.c - open an ELF file, validate its headers against the file size,
 * and hand it to the reader for its type.
 */
#include "loader/elf_common.h"

#include <stdlib.h>
#include <string.h>

static uint16_t ehdr16(const uint8_t *f, size_t off)
{
    return ld_get16(f + off);
}

/* offsetof-style constants of Elf64_Ehdr, read before libelf sees the file. */
#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_PHOFF     32
#define EH_SHOFF     40
#define EH_PHENTSIZE 54
#define EH_PHNUM     56
#define EH_SHENTSIZE 58
#define EH_SHNUM     60
#define EH_SHSTRNDX  62

static bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static int check_raw_header(const struct ld_ctx *ctx, const uint8_t *f, size_t size,
                            const struct ld_options *opt, enum ld_arch *arch)
{
    if (size < sizeof(Elf64_Ehdr))
        return ld_fail(ctx, "truncated ELF header: %zu bytes, need %zu", size, sizeof(Elf64_Ehdr));
    if (f[EI_CLASS] != ELFCLASS64)
        return ld_fail(ctx, "not a 64-bit ELF file (EI_CLASS %u)", f[EI_CLASS]);
    if (f[EI_DATA] != ELFDATA2LSB)
        return ld_fail(ctx, "not a little-endian ELF file (EI_DATA %u)", f[EI_DATA]);
    if (f[EI_VERSION] != EV_CURRENT)
        return ld_fail(ctx, "unsupported ELF version %u (EI_VERSION; expected %u)", f[EI_VERSION],
                       EV_CURRENT);
    uint16_t machine = ehdr16(f, EH_MACHINE);
    if (machine == EM_AARCH64)
        *arch = LD_ARCH_AARCH64;
    else if (machine == EM_RISCV)
        *arch = LD_ARCH_RV64;
    else
        return ld_fail(ctx, "unsupported e_machine %u (expected EM_AARCH64 %u or EM_RISCV %u)",
                       machine, EM_AARCH64, EM_RISCV);
    if (opt->arch != LD_ARCH_NONE && opt->arch != *arch)
        return ld_fail(ctx, "file is %s but --arch %s was given", ld_arch_name(*arch),
                       ld_arch_name(opt->arch));
    uint16_t type = ehdr16(f, EH_TYPE);
    if (type != ET_REL && type != ET_EXEC && type != ET_DYN)
        return ld_fail(ctx, "unsupported ELF type %u (expected ET_REL, ET_EXEC or ET_DYN)", type);

    uint64_t shoff = ld_get64(f + EH_SHOFF);
    uint64_t shnum = ehdr16(f, EH_SHNUM);
    if (shoff) {
        if (ehdr16(f, EH_SHENTSIZE) != sizeof(Elf64_Shdr))
            return ld_fail(ctx, "e_shentsize %u is not %zu", ehdr16(f, EH_SHENTSIZE),
                           sizeof(Elf64_Shdr));
        if (!range_ok(shoff, sizeof(Elf64_Shdr), size))
            return ld_fail(ctx,
                           "section header table at 0x%llx is past the end of the file (%zu bytes)",
                           (unsigned long long)shoff, size);
        /* Extended numbering keeps the real count in section 0's sh_size. */
        if (shnum == 0)
            shnum = ld_get64(f + shoff + offsetof(Elf64_Shdr, sh_size));
        if (shnum > size / sizeof(Elf64_Shdr) || !range_ok(shoff, shnum * sizeof(Elf64_Shdr), size))
            return ld_fail(ctx,
                           "section header table (%llu entries at 0x%llx) runs past the end of the "
                           "file (%zu bytes)",
                           (unsigned long long)shnum, (unsigned long long)shoff, size);
    }
    uint64_t phoff = ld_get64(f + EH_PHOFF);
    uint64_t phnum = ehdr16(f, EH_PHNUM);
    if (phnum) {
        if (ehdr16(f, EH_PHENTSIZE) != sizeof(Elf64_Phdr))
            return ld_fail(ctx, "e_phentsize %u is not %zu", ehdr16(f, EH_PHENTSIZE),
                           sizeof(Elf64_Phdr));
        if (!range_ok(phoff, phnum * sizeof(Elf64_Phdr), size))
            return ld_fail(ctx,
                           "program header table (%llu entries at 0x%llx) runs past the end of the "
                           "file (%zu bytes)",
                           (unsigned long long)phnum, (unsigned long long)phoff, size);
    }
    return 0;
}

static int check_sections(struct elf_view *v)
{
    for (size_t i = 0; i < v->shnum; i++) {
        GElf_Shdr sh;
        if (elf_section(v, i, &sh) < 0)
            return -1;
        /* Section 0 is the null header (its sh_size may hold the extended
         * section count); every other section with file bytes must lie
         * inside the file, whatever its type says. */
        if (i != 0 && sh.sh_type != SHT_NOBITS && !range_ok(sh.sh_offset, sh.sh_size, v->file_size))
            return ld_fail(
                v->ctx, "section %zu [0x%llx, +0x%llx) runs past the end of the file (%zu bytes)",
                i, (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size, v->file_size);
        if (sh.sh_link >= v->shnum && (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM ||
                                       sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL))
            return ld_fail(v->ctx, "section %zu links to section %u, beyond the %zu sections", i,
                           sh.sh_link, v->shnum);
    }
    if (v->shnum && v->shstrndx >= v->shnum)
        return ld_fail(v->ctx, "e_shstrndx %zu is beyond the %zu sections", v->shstrndx, v->shnum);
    return 0;
}

int elf_section(const struct elf_view *v, size_t i, GElf_Shdr *sh)
{
    Elf_Scn *scn = elf_getscn(v->elf, i);
    if (!scn || !gelf_getshdr(scn, sh))
        return ld_fail(v->ctx, "cannot read section header %zu: %s", i, elf_errmsg(-1));
    return 0;
}

const char *elf_section_name(const struct elf_view *v, const GElf_Shdr *sh)
{
    const char *name = elf_strptr(v->elf, v->shstrndx, sh->sh_name);
    return name ? name : "";
}

const uint8_t *elf_section_bytes(const struct elf_view *v, const GElf_Shdr *sh)
{
    return v->file + sh->sh_offset;
}

size_t elf_find_symtab(const struct elf_view *v, uint32_t type)
{
    for (size_t i = 1; i < v->shnum; i++) {
        GElf_Shdr sh;
        if (elf_section(v, i, &sh) == 0 && sh.sh_type == type)
            return i;
    }
    return 0;
}

size_t elf_symbol_count(const struct elf_view *v, size_t symtab_idx)
{
    GElf_Shdr sh;
    if (elf_section(v, symtab_idx, &sh) < 0 || sh.sh_entsize != sizeof(Elf64_Sym))
        return 0;
    return sh.sh_size / sizeof(Elf64_Sym);
}

int elf_symbol(const struct elf_view *v, size_t symtab_idx, size_t i, GElf_Sym *sym,
               const char **name)
{
    GElf_Shdr sh;
    if (elf_section(v, symtab_idx, &sh) < 0)
        return -1;
    if (sh.sh_entsize != sizeof(Elf64_Sym))
        return ld_fail(v->ctx, "symbol table entry size %llu is not %zu",
                       (unsigned long long)sh.sh_entsize, sizeof(Elf64_Sym));
    if (i >= sh.sh_size / sizeof(Elf64_Sym))
        return ld_fail(v->ctx, "symbol index %zu is beyond the %llu symbols", i,
                       (unsigned long long)(sh.sh_size / sizeof(Elf64_Sym)));
    memcpy(sym, v->file + sh.sh_offset + i * sizeof(Elf64_Sym), sizeof(Elf64_Sym));
    const char *n = elf_strptr(v->elf, sh.sh_link, sym->st_name);
    if (!n)
        return ld_fail(v->ctx, "symbol %zu has a name offset 0x%x outside the string table", i,
                       sym->st_name);
    *name = n;
    return 0;
}

void elf_add_image_symbol(struct ld_image *img, const GElf_Sym *sym, const char *name, uint64_t va)
{
    unsigned type = GELF_ST_TYPE(sym->st_info);
    unsigned bind = GELF_ST_BIND(sym->st_info);
    /* Assembler temporaries and mapping symbols are never wanted by name. */
    if (ld_is_temporary_name(name))
        return;
    struct ld_symbol *s = ld_add_symbol(img, name);
    s->va = va;
    s->size = sym->st_size;
    s->global = bind == STB_GLOBAL || bind == STB_WEAK;
    s->type = type == STT_FUNC     ? LD_SYM_FUNC
              : type == STT_OBJECT ? LD_SYM_OBJECT
              : type == STT_NOTYPE ? LD_SYM_NOTYPE
                                   : LD_SYM_OTHER;
    if (sym->st_shndx == SHN_ABS)
        s->type = LD_SYM_OTHER;
    /* Functions and objects name addresses; so do global labels that
     * hand-written assembly declares without a .type. */
    s->names_address = (s->type == LD_SYM_FUNC || s->type == LD_SYM_OBJECT ||
                        (s->type == LD_SYM_NOTYPE && s->global));
}

int ld_read_elf(const struct ld_ctx *ctx, const uint8_t *file, size_t file_size,
                const struct ld_options *opt, struct ld_image *img)
{
    struct elf_view v = {.ctx = ctx, .file = file, .file_size = file_size};
    if (check_raw_header(ctx, file, file_size, opt, &v.arch) < 0)
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return ld_fail(ctx, "libelf initialisation failed: %s", elf_errmsg(-1));
    v.elf = elf_memory((char *)file, file_size);
    if (!v.elf)
        return ld_fail(ctx, "libelf cannot read the file: %s", elf_errmsg(-1));
    int rc = -1;
    if (!gelf_getehdr(v.elf, &v.ehdr)) {
        ld_fail(ctx, "cannot read the ELF header: %s", elf_errmsg(-1));
        goto out;
    }
    if (elf_getshdrnum(v.elf, &v.shnum) != 0 || elf_getshdrstrndx(v.elf, &v.shstrndx) != 0) {
        ld_fail(ctx, "cannot read the section header table: %s", elf_errmsg(-1));
        goto out;
    }
    if (check_sections(&v) < 0)
        goto out;
    img->arch = v.arch;
    if (v.ehdr.e_type == ET_REL)
        rc = elf_read_rel(&v, opt, img);
    else
        rc = elf_read_linked(&v, opt, img);
out:
    elf_end(v.elf);
    return rc;
}
