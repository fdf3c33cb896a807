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
static uint64_t a64_get(const void *cpu, int i)
{
    return a64_reg_get(cpu, i);
}
static void a64_set(void *cpu, int i, uint64_t v)
{
    a64_reg_set(cpu, i, v);
}
static void a64_go(void *cpu, uint64_t max, uint64_t sentinel, struct isa_stop *stop)
{
    a64_run(cpu, max, sentinel, stop);
}

static void *rv_new(struct phys_mem *pm)
{
    return rv64_cpu_new(pm);
}
static void rv_free(void *cpu)
{
    rv64_cpu_free(cpu);
}
static uint64_t rv_get(const void *cpu, int i)
{
    return rv64_reg_get(cpu, i);
}
static void rv_set(void *cpu, int i, uint64_t v)
{
    rv64_reg_set(cpu, i, v);
}
static void rv_go(void *cpu, uint64_t max, uint64_t sentinel, struct isa_stop *stop)
{
    rv64_run(cpu, max, sentinel, stop);
}

static const struct sim_arch aarch64 = {
    RASIM_ARCH_AARCH64, LD_ARCH_AARCH64, a64_new, a64_free, a64_reg_lookup, a64_get, a64_set,
    a64_gpr_name,       a64_go,
};

static const struct sim_arch rv64 = {
    RASIM_ARCH_RV64, LD_ARCH_RV64, rv_new,        rv_free, rv64_reg_lookup,
    rv_get,          rv_set,       rv64_gpr_name, rv_go,
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
