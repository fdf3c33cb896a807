/*
 * elf.c - the benchmark program for the peers, read with libelf: PT_LOAD
 * segments, symbols and sections by name. rasim loads the same file with
 * its own loader; the peers must not depend on it.
 */
#include "bench.h"

#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bench_read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *data = buf;
    *size = len;
    return 0;
}

/* libelf over the bytes already read; NULL unless a 64-bit little-endian ELF. */
static Elf *open_elf(const uint8_t *file, size_t size)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return NULL;
    Elf *e = elf_memory((char *)file, size);
    if (!e)
        return NULL;
    const char *ident = elf_getident(e, NULL);
    if (elf_kind(e) != ELF_K_ELF || !ident || ident[EI_CLASS] != ELFCLASS64 ||
        ident[EI_DATA] != ELFDATA2LSB) {
        elf_end(e);
        return NULL;
    }
    return e;
}

int bench_elf_symbol(const uint8_t *file, size_t size, const char *name, uint64_t *value)
{
    Elf *e = open_elf(file, size);
    int rc = -1;
    for (Elf_Scn *scn = NULL; e && rc < 0 && (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        Elf_Data *d;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !(d = elf_getdata(scn, NULL)))
            continue;
        GElf_Sym sym;
        for (int k = 0; gelf_getsym(d, k, &sym); k++) {
            const char *n = elf_strptr(e, sh.sh_link, sym.st_name);
            if (n && sym.st_shndx != SHN_UNDEF && !strcmp(n, name)) {
                *value = sym.st_value;
                rc = 0;
                break;
            }
        }
    }
    if (e)
        elf_end(e);
    return rc;
}

int bench_elf_section(const uint8_t *file, size_t size, const char *name, uint64_t *addr,
                      uint64_t *len, const uint8_t **bytes)
{
    Elf *e = open_elf(file, size);
    size_t shstrndx;
    int rc = -1;
    if (!e || elf_getshdrstrndx(e, &shstrndx) != 0)
        goto out;
    for (Elf_Scn *scn = NULL; (scn = elf_nextscn(e, scn));) {
        GElf_Shdr sh;
        const char *n;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS ||
            !(n = elf_strptr(e, shstrndx, sh.sh_name)) || strcmp(n, name))
            continue;
        if (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset)
            break;
        *addr = sh.sh_addr;
        *len = sh.sh_size;
        *bytes = file + sh.sh_offset; /* the caller keeps the file's bytes */
        rc = 0;
        break;
    }
out:
    if (e)
        elf_end(e);
    return rc;
}

int guest_read(struct guest *g, enum bench_arch arch, const char *path, char *err, size_t errlen)
{
    memset(g, 0, sizeof(*g));
    g->arch = arch;
    snprintf(g->path, sizeof(g->path), "%s", path);
    if (bench_read_file(path, &g->file, &g->file_size) < 0) {
        snprintf(err, errlen, "%s: cannot read it", path);
        return -1;
    }
    Elf *e = open_elf(g->file, g->file_size);
    GElf_Ehdr eh;
    unsigned machine = arch == ARCH_AARCH64 ? EM_AARCH64 : EM_RISCV;
    size_t nph = 0;
    if (!e || !gelf_getehdr(e, &eh) || eh.e_type != ET_EXEC || eh.e_machine != machine ||
        elf_getphdrnum(e, &nph) != 0) {
        snprintf(err, errlen, "%s: not a %s ELF executable", path, arch_name[arch]);
        if (e)
            elf_end(e);
        return -1;
    }
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_memsz)
            continue;
        if (g->nseg == MAX_SEGMENTS || ph.p_offset > g->file_size ||
            ph.p_filesz > g->file_size - ph.p_offset || ph.p_filesz > ph.p_memsz) {
            snprintf(err, errlen, "%s: unexpected program header %zu", path, i);
            elf_end(e);
            return -1;
        }
        struct segment *s = &g->seg[g->nseg++];
        s->va = ph.p_vaddr;
        s->memsz = ph.p_memsz;
        s->filesz = ph.p_filesz;
        s->bytes = g->file + ph.p_offset;
        s->write = ph.p_flags & PF_W;
        s->exec = ph.p_flags & PF_X;
        if (s->write && !g->data_hi) {
            g->data_lo = s->va;
            g->data_hi = s->va + s->memsz;
        }
    }
    elf_end(e);
    static const char *const entries[NWORKLOADS] = {"bench_page_copy", "bench_int_loop",
                                                    "bench_ptwalk"};
    struct {
        const char *name;
        uint64_t *where;
    } need[] = {
        {entries[0], &g->entry[0]},
        {entries[1], &g->entry[1]},
        {entries[2], &g->entry[2]},
        {"bench_src", &g->src},
        {"bench_dst", &g->dst},
        {"bench_pool", &g->pool},
        {"bench_poison_page", &g->poison_page},
        {"bench_halt", &g->halt},
        {"__bench_text_start", &g->text_lo},
        {"__bench_text_end", &g->text_hi},
    };
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
        if (bench_elf_symbol(g->file, g->file_size, need[i].name, need[i].where) < 0) {
            snprintf(err, errlen, "%s: no symbol %s", path, need[i].name);
            return -1;
        }
    if (!g->data_hi) {
        snprintf(err, errlen, "%s: no writable segment", path);
        return -1;
    }
    return 0;
}

void guest_free(struct guest *g)
{
    free(g->file);
    g->file = NULL;
}
