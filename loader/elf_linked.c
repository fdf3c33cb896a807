/*
 * elf_linked.c - linked ELF files (ET_EXEC, ET_DYN) placed by their program
 * headers. A position-independent ET_DYN is moved to --base and its
 * R_*_RELATIVE dynamic relocations applied; no other dynamic linking is done.
 */
#include "loader/elf_common.h"
#include "loader/reloc.h"

#include <stdlib.h>
#include <string.h>

static int read_segments(const struct elf_view *v, struct ld_image *img, uint64_t bias)
{
    for (size_t i = 0; i < v->ehdr.e_phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(v->elf, (int)i, &ph))
            return ld_fail(v->ctx, "cannot read program header %zu: %s", i, elf_errmsg(-1));
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return ld_fail(v->ctx, "program header %zu: p_filesz 0x%llx exceeds p_memsz 0x%llx", i,
                           (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
        if (ph.p_offset > v->file_size || ph.p_filesz > v->file_size - ph.p_offset)
            return ld_fail(v->ctx,
                           "program header %zu: bytes [0x%llx, +0x%llx) run past the end of the "
                           "file (%zu bytes)",
                           i, (unsigned long long)ph.p_offset, (unsigned long long)ph.p_filesz,
                           v->file_size);
        if (ph.p_memsz == 0)
            continue;
        if (ph.p_memsz > LD_MAX_SIZE)
            return ld_fail(v->ctx, "program header %zu claims 0x%llx bytes (more than 1 GiB)", i,
                           (unsigned long long)ph.p_memsz);
        struct ld_segment *seg = ld_add_segment(img);
        seg->va = ph.p_vaddr + bias;
        seg->pa = ph.p_paddr + bias;
        seg->memsz = ph.p_memsz;
        seg->filesz = ph.p_filesz;
        seg->flags =
            LD_ALLOC | ((ph.p_flags & PF_W) ? LD_WRITE : 0) | ((ph.p_flags & PF_X) ? LD_EXEC : 0);
        if (ph.p_filesz) {
            seg->bytes = malloc(ph.p_filesz);
            if (!seg->bytes)
                return ld_fail(v->ctx, "out of host memory for segment %zu", i);
            memcpy(seg->bytes, v->file + ph.p_offset, ph.p_filesz);
        }
    }
    return 0;
}

/* The loaded bytes at va..va+len, or NULL when not inside one segment's file part. */
static uint8_t *segment_bytes(struct ld_image *img, uint64_t va, uint64_t len)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        struct ld_segment *s = &img->segments[i];
        if (va >= s->va && va - s->va <= s->filesz && len <= s->filesz - (va - s->va))
            return s->bytes + (va - s->va);
    }
    return NULL;
}

static int apply_relative(const struct elf_view *v, struct ld_image *img, uint64_t bias)
{
    uint32_t relative = v->arch == LD_ARCH_AARCH64 ? R_AARCH64_RELATIVE : R_RISCV_RELATIVE;
    for (size_t i = 1; i < v->shnum; i++) {
        GElf_Shdr sh;
        if (elf_section(v, i, &sh) < 0)
            return -1;
        if (sh.sh_type != SHT_RELA || !(sh.sh_flags & SHF_ALLOC))
            continue;
        if (sh.sh_entsize != sizeof(Elf64_Rela))
            return ld_fail(v->ctx, "relocation section %s has entry size %llu, not %zu",
                           elf_section_name(v, &sh), (unsigned long long)sh.sh_entsize,
                           sizeof(Elf64_Rela));
        for (size_t k = 0; k < sh.sh_size / sizeof(Elf64_Rela); k++) {
            Elf64_Rela rela;
            memcpy(&rela, elf_section_bytes(v, &sh) + k * sizeof(rela), sizeof(rela));
            uint32_t type = ELF64_R_TYPE(rela.r_info);
            if (type == 0)
                continue;
            if (type != relative)
                return ld_fail(
                    v->ctx,
                    "dynamic relocation %s at 0x%llx needs a dynamic linker; only %s is applied",
                    ld_reloc_name(v->arch, type), (unsigned long long)rela.r_offset,
                    ld_reloc_name(v->arch, relative));
            uint8_t *p = segment_bytes(img, rela.r_offset + bias, 8);
            if (!p)
                return ld_fail(v->ctx,
                               "dynamic relocation at 0x%llx is outside the loaded segments",
                               (unsigned long long)rela.r_offset);
            ld_put64(p, bias + (uint64_t)rela.r_addend);
        }
    }
    return 0;
}

static int read_sections_and_symbols(const struct elf_view *v, struct ld_image *img, uint64_t bias)
{
    for (size_t i = 1; i < v->shnum; i++) {
        GElf_Shdr sh;
        if (elf_section(v, i, &sh) < 0)
            return -1;
        if (!(sh.sh_flags & SHF_ALLOC))
            continue;
        struct ld_section *s = ld_add_section(img, elf_section_name(v, &sh));
        s->va = sh.sh_addr + bias;
        s->size = sh.sh_size;
        s->align = sh.sh_addralign;
        s->flags = LD_ALLOC | ((sh.sh_flags & SHF_WRITE) ? LD_WRITE : 0) |
                   ((sh.sh_flags & SHF_EXECINSTR) ? LD_EXEC : 0) |
                   (sh.sh_type == SHT_NOBITS ? LD_NOBITS : 0);
    }
    size_t symtab = elf_find_symtab(v, SHT_SYMTAB);
    if (!symtab)
        symtab = elf_find_symtab(v, SHT_DYNSYM);
    size_t n = symtab ? elf_symbol_count(v, symtab) : 0;
    for (size_t i = 1; i < n; i++) {
        GElf_Sym sym;
        const char *name;
        if (elf_symbol(v, symtab, i, &sym, &name) < 0)
            return -1;
        unsigned type = GELF_ST_TYPE(sym.st_info);
        if (sym.st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE || !name[0])
            continue;
        elf_add_image_symbol(img, &sym, name, sym.st_value + (sym.st_shndx == SHN_ABS ? 0 : bias));
    }
    return 0;
}

/* The extable: the __ex_table section, else __start/__stop___ex_table. */
static int read_extable(const struct elf_view *v, struct ld_image *img)
{
    uint64_t start = 0, stop = 0;
    bool found = false;
    for (size_t i = 0; i < img->nsections; i++) {
        if (!strcmp(img->sections[i].name, "__ex_table")) {
            start = img->sections[i].va;
            stop = start + img->sections[i].size;
            found = true;
        }
    }
    if (!found) {
        const struct ld_symbol *a = ld_find_symbol(img, "__start___ex_table");
        const struct ld_symbol *b = ld_find_symbol(img, "__stop___ex_table");
        if (!a && !b)
            return 0;
        if (!a || !b || b->va < a->va)
            return ld_fail(v->ctx, "__start___ex_table / __stop___ex_table do not bound a table");
        start = a->va;
        stop = b->va;
    }
    if (stop == start)
        return 0;
    const uint8_t *bytes = segment_bytes(img, start, stop - start);
    if (!bytes)
        return ld_fail(v->ctx, "__ex_table [0x%llx, 0x%llx) is not inside a loaded segment",
                       (unsigned long long)start, (unsigned long long)stop);
    return ld_parse_extable(v->ctx, img, start, bytes, stop - start);
}

int elf_read_linked(const struct elf_view *v, const struct ld_options *opt, struct ld_image *img)
{
    uint64_t bias = 0;
    img->kind = v->ehdr.e_type == ET_DYN ? LD_KIND_DYN : LD_KIND_EXEC;
    if (opt->base_set) {
        if (img->kind == LD_KIND_EXEC)
            return ld_fail(v->ctx, "--base applies to relocatable objects and ET_DYN files, not to "
                                   "a linked executable");
        bias = opt->base;
    }
    if (v->ehdr.e_phnum == 0)
        return ld_fail(v->ctx, "linked ELF file has no program headers");
    if (read_segments(v, img, bias) < 0 || read_sections_and_symbols(v, img, bias) < 0)
        return -1;
    if (img->kind == LD_KIND_DYN && apply_relative(v, img, bias) < 0)
        return -1;
    img->entry = v->ehdr.e_entry + bias;
    return read_extable(v, img);
}
