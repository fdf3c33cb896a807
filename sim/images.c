/*
 * images.c - rasim.h: loading files into the machine and asking about them.
 */
#include "sim/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096ull

/* Declare RAM under every segment that no region covers yet, one region per
 * run of touching pages, so a user can load an object and call into it
 * without describing memory first. */
static int declare_ram_for(rasim_machine *m, const struct ld_image *img, size_t index)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        const struct ld_segment *s = &img->segments[i];
        uint64_t start = s->pa & ~(PAGE - 1);
        uint64_t end = (s->pa + s->memsz + PAGE - 1) & ~(PAGE - 1);
        /* Skip pages some region already holds; declare the rest. */
        for (uint64_t p = start; p < end;) {
            if (phys_region_at(m->pm, p)) {
                p += PAGE;
                continue;
            }
            uint64_t q = p;
            while (q < end && !phys_region_at(m->pm, q))
                q += PAGE;
            struct phys_region r = {.base = p, .size = q - p, .kind = PHYS_RAM};
            snprintf(r.name, sizeof(r.name), "image%zu", index);
            if (phys_add_region(m->pm, &r, m->err, sizeof(m->err)) < 0)
                return -1;
            p = q;
        }
    }
    return 0;
}

static int place(rasim_machine *m, const struct ld_image *img)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        const struct ld_segment *s = &img->segments[i];
        struct phys_fault f;
        if (s->filesz && phys_write(m->pm, s->pa, s->bytes, s->filesz, PHYS_INIT, &f) != PHYS_OK)
            goto fail;
        /* Zero-fill the rest (bss), a page at a time. */
        static const uint8_t zeros[PAGE];
        for (uint64_t at = s->filesz; at < s->memsz;) {
            uint64_t n = s->memsz - at < PAGE ? s->memsz - at : PAGE;
            if (phys_write(m->pm, s->pa + at, zeros, n, PHYS_INIT, &f) != PHYS_OK)
                goto fail;
            at += n;
        }
        continue;
    fail:
        return sim_fail(m, "%s: cannot place segment at physical 0x%llx (+0x%llx): %s at 0x%llx",
                        img->path, (unsigned long long)s->pa, (unsigned long long)s->memsz,
                        phys_status_name(f.status), (unsigned long long)f.pa);
    }
    return 0;
}

/* Two images must not share physical bytes: the second would silently
 * overwrite the first. */
static int check_overlap(rasim_machine *m, const struct ld_image *img)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        const struct ld_segment *a = &img->segments[i];
        for (size_t k = 0; k < m->nimages; k++) {
            const struct ld_image *other = m->images[k];
            for (size_t j = 0; j < other->nsegments; j++) {
                const struct ld_segment *b = &other->segments[j];
                if (a->memsz && b->memsz && a->pa < b->pa + b->memsz && b->pa < a->pa + a->memsz)
                    return sim_fail(m,
                                    "%s: segment at physical 0x%llx (+0x%llx) overlaps %s at "
                                    "0x%llx (+0x%llx); load it at another --base",
                                    img->path, (unsigned long long)a->pa,
                                    (unsigned long long)a->memsz, other->path,
                                    (unsigned long long)b->pa, (unsigned long long)b->memsz);
            }
        }
    }
    return 0;
}

static bool va_to_pa(const struct ld_image *img, uint64_t va, uint64_t *pa);

/* A bare-metal RV64 program that defines tohost talks HTIF, as it would on
 * Spike: turn it on where the image placed the symbols. */
static void enable_htif(rasim_machine *m, const struct ld_image *img)
{
    const struct ld_symbol *to = ld_find_symbol(img, "tohost");
    const struct ld_symbol *from = ld_find_symbol(img, "fromhost");
    uint64_t to_pa, from_pa = 0;
    if (!m->arch->set_htif || !to || !va_to_pa(img, to->va, &to_pa))
        return;
    if (from && !va_to_pa(img, from->va, &from_pa))
        from_pa = 0;
    m->arch->set_htif(m->cpu, to_pa, from_pa);
}

/*
 * What a module loader would do for the next object: its undefined symbols
 * resolve against the global symbols of the images already loaded (after
 * the caller's own defines, which win), and without a base it goes after
 * the highest image already placed, so objects can be loaded one by one.
 */
static struct ld_define *known_symbols(const rasim_machine *m,
                                       const struct rasim_load_options *opt, size_t *n)
{
    size_t total = opt->ndefines;
    for (size_t i = 0; i < m->nimages; i++)
        total += m->images[i]->nsymbols;
    struct ld_define *d = calloc(total ? total : 1, sizeof(*d));
    if (!d)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < opt->ndefines; i++) {
        d[k].name = opt->defines[i].name;
        d[k++].value = opt->defines[i].value;
    }
    for (size_t i = 0; i < m->nimages; i++)
        for (size_t s = 0; s < m->images[i]->nsymbols; s++) {
            const struct ld_symbol *sym = &m->images[i]->symbols[s];
            if (sym->global && sym->type != LD_SYM_OTHER) {
                d[k].name = sym->name;
                d[k++].value = sym->va;
            }
        }
    *n = k;
    return d;
}

static uint64_t after_loaded_images(const rasim_machine *m)
{
    uint64_t end = 0;
    for (size_t i = 0; i < m->nimages; i++)
        for (size_t s = 0; s < m->images[i]->nsegments; s++) {
            const struct ld_segment *seg = &m->images[i]->segments[s];
            if (seg->va + seg->memsz > end)
                end = seg->va + seg->memsz;
        }
    return (end + 0xffff) & ~0xffffull; /* 64 KiB apart */
}

int rasim_load(rasim_machine *m, const char *path, const struct rasim_load_options *opt)
{
    static const struct rasim_load_options none;
    if (!opt)
        opt = &none;
    size_t ndefines = 0;
    struct ld_define *defines = known_symbols(m, opt, &ndefines);
    if (!defines)
        return sim_fail(m, "out of host memory");
    struct ld_options lo = {
        .arch = m->arch->ld_arch,
        .base_set = opt->base_set,
        .base = opt->base,
        .map_path = opt->system_map,
        .load_pa = opt->load_pa,
        .link_va = opt->link_va,
        .link_va_set = opt->link_va_set,
        .defines = defines,
        .ndefines = ndefines,
        .default_base_set = m->nimages > 0,
        .default_base = after_loaded_images(m),
    };
    struct ld_image *img;
    int rc = ld_load(path, &lo, &img, m->err, sizeof(m->err));
    free(defines);
    if (rc < 0)
        return -1;
    struct ld_image **grown = realloc(m->images, (m->nimages + 1) * sizeof(*grown));
    if (!grown) {
        ld_image_free(img);
        return sim_fail(m, "out of host memory");
    }
    m->images = grown;
    if (check_overlap(m, img) < 0 ||
        (!opt->no_auto_ram && declare_ram_for(m, img, m->nimages) < 0) || place(m, img) < 0) {
        ld_image_free(img);
        return -1;
    }
    m->images[m->nimages] = img;
    enable_htif(m, img);
    return (int)m->nimages++;
}

size_t rasim_image_count(const rasim_machine *m)
{
    return m->nimages;
}

static const struct ld_image *image(const rasim_machine *m, size_t i)
{
    return i < m->nimages ? m->images[i] : NULL;
}

int rasim_image_info(const rasim_machine *m, size_t i, struct rasim_image_info *out)
{
    const struct ld_image *img = image(m, i);
    if (!img)
        return -1;
    out->path = img->path;
    out->kind = ld_kind_name(img->kind);
    out->entry = img->entry;
    out->nsections = img->nsections;
    out->nsymbols = img->nsymbols;
    out->nextable = img->nextable;
    return 0;
}

static bool va_to_pa(const struct ld_image *img, uint64_t va, uint64_t *pa)
{
    for (size_t i = 0; i < img->nsegments; i++) {
        const struct ld_segment *s = &img->segments[i];
        if (va >= s->va && va - s->va < s->memsz) {
            *pa = s->pa + (va - s->va);
            return true;
        }
    }
    return false;
}

int rasim_image_section(const rasim_machine *m, size_t i, size_t index, struct rasim_section *out)
{
    const struct ld_image *img = image(m, i);
    if (!img || index >= img->nsections)
        return -1;
    const struct ld_section *s = &img->sections[index];
    out->name = s->name;
    out->va = s->va;
    out->size = s->size;
    out->flags = s->flags & (LD_WRITE | LD_EXEC | LD_NOBITS);
    if (!va_to_pa(img, s->va, &out->pa))
        out->pa = s->va;
    return 0;
}

static const char *sym_type_name(enum ld_sym_type t)
{
    switch (t) {
    case LD_SYM_FUNC: return "func";
    case LD_SYM_OBJECT: return "object";
    case LD_SYM_NOTYPE: return "notype";
    case LD_SYM_OTHER: break;
    }
    return "other";
}

int rasim_image_symbol(const rasim_machine *m, size_t i, size_t index, struct rasim_symbol *out)
{
    const struct ld_image *img = image(m, i);
    if (!img || index >= img->nsymbols)
        return -1;
    const struct ld_symbol *s = &img->symbols[index];
    out->name = s->name;
    out->va = s->va;
    out->size = s->size;
    out->type = sym_type_name(s->type);
    out->global = s->global;
    return 0;
}

int rasim_image_extable(const rasim_machine *m, size_t i, size_t index,
                        struct rasim_extable_entry *out)
{
    const struct ld_image *img = image(m, i);
    if (!img || index >= img->nextable)
        return -1;
    const struct ld_extable_entry *e = &img->extable[index];
    out->entry = e->entry_va;
    out->insn = e->insn;
    out->fixup = e->fixup;
    out->type = e->type;
    out->data = e->data;
    return 0;
}

int rasim_lookup_symbol(const rasim_machine *m, const char *name, uint64_t *va)
{
    const struct ld_symbol *local = NULL;
    for (size_t i = 0; i < m->nimages; i++) {
        const struct ld_symbol *s = ld_find_symbol(m->images[i], name);
        if (s && s->global) {
            *va = s->va;
            return 0;
        }
        if (s && !local)
            local = s;
    }
    if (!local)
        return sim_fail((rasim_machine *)m, "no symbol '%s' in the loaded images", name);
    *va = local->va;
    return 0;
}

int rasim_image_va_to_pa(const rasim_machine *m, uint64_t va, uint64_t *pa)
{
    for (size_t i = 0; i < m->nimages; i++)
        if (va_to_pa(m->images[i], va, pa))
            return 0;
    return sim_fail((rasim_machine *)m, "0x%llx is not inside a loaded image",
                    (unsigned long long)va);
}

void rasim_describe(const rasim_machine *m, uint64_t va, char *buf, size_t len)
{
    for (size_t i = 0; i < m->nimages; i++) {
        uint64_t off;
        const struct ld_symbol *s = ld_symbol_for(m->images[i], va, &off);
        if (s && (!s->size || off < s->size)) {
            ld_describe(m->images[i], va, buf, len);
            return;
        }
    }
    snprintf(buf, len, "0x%llx", (unsigned long long)va);
}

enum rasim_arch rasim_file_arch(const char *path)
{
    unsigned char h[20];
    FILE *f = fopen(path, "rb");
    if (!f)
        return RASIM_ARCH_NONE;
    size_t n = fread(h, 1, sizeof(h), f);
    fclose(f);
    if (n < sizeof(h) || memcmp(h, "\177ELF", 4))
        return RASIM_ARCH_NONE;
    unsigned machine = h[18] | h[19] << 8; /* e_machine, little-endian */
    return machine == 183 ? RASIM_ARCH_AARCH64 : machine == 243 ? RASIM_ARCH_RV64 : RASIM_ARCH_NONE;
}
