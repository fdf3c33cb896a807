/*
 * arch.c - each interpreter behind struct sim_arch. Only the types differ,
 * so these are plain forwarding wrappers.
 */
#include "sim/machine.h"
#include "isa/aarch64/aarch64.h"
#include "isa/rv64/rv64.h"

static void *a64_new(struct phys_mem *pm)
{
    return a64_cpu_new(pm);
}
static void a64_free(void *cpu)
{
    a64_cpu_free(cpu);
}
static void a64_reset(void *cpu)
{
    a64_cpu_reset(cpu);
}
static uint64_t a64_get(const void *cpu, int i)
{
    return a64_reg_get(cpu, i);
}
static void a64_set(void *cpu, int i, uint64_t v)
{
    a64_reg_set(cpu, i, v);
}
static bool a64_present(const void *cpu, int i)
{
    return a64_reg_present(cpu, i);
}
static void a64_common(const void *cpu, uint64_t *out)
{
    a64_reg_read_common(cpu, out);
}
static void a64_go(void *cpu, uint64_t max, uint64_t sentinel, struct isa_stop *stop)
{
    a64_run(cpu, max, sentinel, stop);
}

/* Capstone names more of A64 than we run: "known" is our decoder's word. */
static unsigned a64_text(uint32_t word, uint64_t pc, char *buf, size_t len, bool *known)
{
    a64_disasm(word, pc, buf, len);
    *known = a64_in_subset(word);
    return 4;
}

static void a64_tracer(void *cpu, struct isa_tracer *tracer)
{
    a64_set_tracer(cpu, tracer);
}
static struct mmu_tlb *a64_tlb(void *cpu)
{
    return a64_cpu_tlb(cpu);
}
static void a64_host_pointers(void *cpu, bool on)
{
    a64_set_data_host_pointers(cpu, on);
}
static void a64_feat_ras(void *cpu, bool on)
{
    a64_set_feat_ras(cpu, on);
}

/* SError: EC 0x2F, IL, ISS with IDS = 0 (architected syndrome), AET = 0
 * (uncontainable: we cannot say which data is lost), DFSC 0x11
 * ("asynchronous SError interrupt"), KERNEL-FACTS.md 2.1. */
#define SERROR_ESR ((0x2full << 26) | (1ull << 25) | 0x11)

static enum sim_async a64_async(void *cpu, struct isa_stop *stop)
{
    switch (a64_take_serror(cpu, SERROR_ESR, stop)) {
    case A64_SERROR_MASKED: return SIM_ASYNC_PENDING;
    case A64_SERROR_TAKEN: return SIM_ASYNC_DELIVERED;
    case A64_SERROR_NO_VECTOR: break;
    }
    return SIM_ASYNC_STOP;
}

static void *rv_new(struct phys_mem *pm)
{
    return rv64_cpu_new(pm);
}
static void rv_free(void *cpu)
{
    rv64_cpu_free(cpu);
}
static void rv_reset(void *cpu)
{
    rv64_cpu_reset(cpu);
}
static uint64_t rv_get(const void *cpu, int i)
{
    return rv64_reg_get(cpu, i);
}
static void rv_common(const void *cpu, uint64_t *out)
{
    rv64_reg_read_common(cpu, out);
}
static void rv_set(void *cpu, int i, uint64_t v)
{
    rv64_reg_set(cpu, i, v);
}
static void rv_go(void *cpu, uint64_t max, uint64_t sentinel, struct isa_stop *stop)
{
    rv64_run(cpu, max, sentinel, stop);
}

static unsigned rv_text(uint32_t word, uint64_t pc, char *buf, size_t len, bool *known)
{
    /* c.unimp and unimp (a write to the read-only cycle CSR) decode but are
     * defined to be illegal. */
    bool unimp = (word & 0xffff) == 0 || word == 0xc0001073u;
    *known = rv64_disasm(word, pc, buf, len) != 0 && !unimp;
    return (word & 3) == 3 ? 4 : 2; /* the length is in the low bits, known or not */
}

static void rv_tracer(void *cpu, struct isa_tracer *tracer)
{
    rv64_set_tracer(cpu, tracer);
}

static void rv_host_pointers(void *cpu, bool on)
{
    rv64_set_data_host_pointers(cpu, on);
}

static struct mmu_tlb *rv_tlb(void *cpu)
{
    return rv64_tlb(cpu);
}

/* RISC-V has no architected asynchronous memory-error exception: a platform
 * signals it through its interrupt controller. Modelled as the supervisor
 * external interrupt (mip.SEIP), which the hart takes at an instruction
 * boundary when S-mode interrupts are enabled, or leaves pending. */
static enum sim_async rv_async(void *cpu, struct isa_stop *stop)
{
    int mip = rv64_reg_lookup("mip");
    rv64_reg_set(cpu, mip, rv64_reg_get(cpu, mip) | (1ull << 9));
    (void)stop;
    return SIM_ASYNC_DELIVERED;
}

static void rv_misaligned(void *cpu, bool on)
{
    rv64_set_misaligned_traps(cpu, on);
}
static void rv_svadu(void *cpu, bool on)
{
    rv64_set_svadu(cpu, on);
}
static void rv_ras_access_fault(void *cpu, bool on)
{
    rv64_set_ras_delivery(cpu, on ? RV64_RAS_ACCESS_FAULT : RV64_RAS_HW_ERROR);
}
static void rv_htif(void *cpu, uint64_t tohost, uint64_t fromhost)
{
    rv64_set_htif(cpu, tohost, fromhost);
}

static const struct sim_arch aarch64 = {
    .arch = RASIM_ARCH_AARCH64,
    .ld_arch = LD_ARCH_AARCH64,
    .cpu_new = a64_new,
    .cpu_free = a64_free,
    .cpu_reset = a64_reset,
    .reg_lookup = a64_reg_lookup,
    .reg_get = a64_get,
    .reg_set = a64_set,
    .gpr_name = a64_gpr_name,
    .run = a64_go,
    .disasm = a64_text,
    .reg_count = a64_reg_count,
    .reg_name = a64_reg_name,
    .reg_present = a64_present,
    .reg_common = a64_reg_common,
    .reg_read_common = a64_common,
    .insn_writes_system = a64_insn_writes_system,
    .set_tracer = a64_tracer,
    .async_error = a64_async,
    .tlb = a64_tlb,
    .set_data_host_pointers = a64_host_pointers,
    .set_feat_ras = a64_feat_ras,
};

static const struct sim_arch rv64 = {
    .arch = RASIM_ARCH_RV64,
    .ld_arch = LD_ARCH_RV64,
    .cpu_new = rv_new,
    .cpu_free = rv_free,
    .cpu_reset = rv_reset,
    .reg_lookup = rv64_reg_lookup,
    .reg_get = rv_get,
    .reg_set = rv_set,
    .gpr_name = rv64_gpr_name,
    .run = rv_go,
    .disasm = rv_text,
    .reg_count = rv64_reg_count,
    .reg_name = rv64_reg_name,
    .reg_common = rv64_reg_common,
    .reg_read_common = rv_common,
    .insn_writes_system = rv64_insn_writes_system,
    .set_tracer = rv_tracer,
    .async_error = rv_async,
    .tlb = rv_tlb,
    .set_data_host_pointers = rv_host_pointers,
    .set_misaligned_traps = rv_misaligned,
    .set_htif = rv_htif,
    .set_svadu = rv_svadu,
    .set_ras_access_fault = rv_ras_access_fault,
};

const struct sim_arch *sim_arch_for(enum rasim_arch arch)
{
    switch (arch) {
    case RASIM_ARCH_AARCH64: return &aarch64;
    case RASIM_ARCH_RV64: return &rv64;
    case RASIM_ARCH_NONE: break;
    }
    return NULL;
}
