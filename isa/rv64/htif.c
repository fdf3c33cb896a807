/*
 * htif.c - the host-target interface of Spike and riscv-tests: the guest
 * writes a request to tohost, the host serves it and clears tohost.
 *
 * A request is dev (63:56), cmd (55:48), payload (47:0). Served here:
 * dev 0 cmd 0 with payload bit 0 set is exit(payload >> 1) (riscv-tests
 * write 1 for pass and (n << 1) | 1 when test n fails); dev 1 cmd 1 writes
 * the payload's low byte to stdout. Anything else (the syscall proxy,
 * console input) is not modelled and is dropped.
 */
#include "isa/rv64/cpu.h"

#include <stdio.h>

#define HTIF_DEV(v)     ((unsigned)((v) >> 56))
#define HTIF_CMD(v)     ((unsigned)((v) >> 48) & 0xff)
#define HTIF_PAYLOAD(v) ((v) & ((1ull << 48) - 1))

void rv64_set_htif(struct rv64_cpu *cpu, uint64_t tohost_pa, uint64_t fromhost_pa)
{
    cpu->htif_on = tohost_pa || fromhost_pa;
    cpu->tohost = tohost_pa;
    cpu->fromhost = fromhost_pa;
    /* The tohost page must leave the store fast path (mem.c). */
    rv64_host_flush_data(cpu);
}

void rv64_htif_store(struct rv64_cpu *cpu, uint64_t pa, unsigned size)
{
    uint64_t req;
    struct phys_fault f;
    if (pa >= cpu->tohost + 8 || pa + size <= cpu->tohost)
        return;
    /* A 32-bit guest writes the low half first (riscv-tests): the request
     * is complete as soon as it is non-zero. */
    if (phys_load(cpu->pm, cpu->tohost, 8, &req, 0, &f) != PHYS_OK || req == 0)
        return;
    if (HTIF_DEV(req) == 0 && HTIF_CMD(req) == 0 && (req & 1)) {
        cpu->exit_code = HTIF_PAYLOAD(req) >> 1;
        cpu->events |= RV64_EV_EXIT;
    } else if (HTIF_DEV(req) == 1 && HTIF_CMD(req) == 1) {
        putchar((int)(req & 0xff));
        fflush(stdout);
    }
    phys_store(cpu->pm, cpu->tohost, 8, 0, 0, &f);
}
