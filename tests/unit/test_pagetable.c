/* test_pagetable.c - page-table index math and address helpers. */
#include "mm/layout.h"
#include "mm/pagetable.h"
#include "tests/unit/unit.h"

static void indexes_of_known_addresses(void)
{
    CHECK_EQ(PML4_INDEX(0x0), 0);
    CHECK_EQ(PML4_INDEX(0x400000), 0);
    CHECK_EQ(PD_INDEX(0x400000), 2);
    CHECK_EQ(PT_INDEX(0x401000), 1);
    CHECK_EQ(PAGE_OFFSET(0x401abc), 0xabc);
    /* The kernel image at -2 GiB: PML4 511, PDPT 510. */
    CHECK_EQ(PML4_INDEX(KERNEL_VMA), 511);
    CHECK_EQ(PDPT_INDEX(KERNEL_VMA), 510);
    CHECK_EQ(PD_INDEX(KERNEL_VMA + 0x100000), 0);
    CHECK_EQ(PT_INDEX(KERNEL_VMA + 0x100000), 256);
    /* The direct map starts the kernel half: PML4 256. */
    CHECK_EQ(PML4_INDEX(DIRECT_MAP_BASE), 256);
    /* The top of user space. */
    CHECK_EQ(PML4_INDEX(USER_TOP - 1), 255);
    CHECK_EQ(PDPT_INDEX(USER_TOP - 1), 511);
    CHECK_EQ(PT_INDEX(USER_TOP - 1), 510);
}

static void indexes_recompose_the_address(void)
{
    unsigned long long seed = 42;
    for (int i = 0; i < 100000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        u64 va = seed & 0x00007FFFFFFFFFFFull;
        u64 back = (PML4_INDEX(va) << 39) | (PDPT_INDEX(va) << 30) | (PD_INDEX(va) << 21) |
                   (PT_INDEX(va) << 12) | PAGE_OFFSET(va);
        if (back != va) {
            CHECK_EQ(back, va);
            break;
        }
    }
}

static void canonical_addresses(void)
{
    CHECK(is_canonical(0));
    CHECK(is_canonical(0x00007FFFFFFFFFFFull));
    CHECK(!is_canonical(0x0000800000000000ull));
    CHECK(!is_canonical(0xFFFF7FFFFFFFFFFFull));
    CHECK(is_canonical(0xFFFF800000000000ull));
    CHECK(is_canonical(KERNEL_VMA));
}

static void entry_fields(void)
{
    pte_t e = 0x12345000ull | PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX | PTE_COW;
    CHECK_EQ(PTE_ADDRESS(e), 0x12345000ull);
    CHECK(e & PTE_NX);
    CHECK_EQ(PTE_NX, 1ull << 63);
    CHECK_EQ(PTE_ADDRESS_MASK & PTE_COW, 0); /* software bits never leak into the address */
    CHECK_EQ(PTE_ADDRESS_MASK & PTE_NX, 0);
}

static void user_and_kernel_ranges(void)
{
    CHECK(is_user_address(0x400000));
    CHECK(is_user_address(USER_TOP - 1));
    CHECK(!is_user_address(USER_TOP));
    CHECK(!is_user_address(KERNEL_VMA));
    CHECK_EQ(virt_to_phys((void *)(KERNEL_VMA + 0x100000)), 0x100000);
    CHECK_EQ(virt_to_phys(phys_to_virt(0xB8000)), 0xB8000);
}

static void alignment_helpers(void)
{
    CHECK_EQ(ALIGN_UP(0x1001ul, 0x1000), 0x2000);
    CHECK_EQ(ALIGN_UP(0x1000ul, 0x1000), 0x1000);
    CHECK_EQ(ALIGN_DOWN(0x1fffu, 0x1000), 0x1000);
    CHECK(IS_ALIGNED(0x3000ul, 0x1000));
    CHECK(!IS_ALIGNED(0x3008ul, 0x1000));
}

static const struct unit_case cases[] = {
    UNIT(indexes_of_known_addresses), UNIT(indexes_recompose_the_address),
    UNIT(canonical_addresses),        UNIT(entry_fields),
    UNIT(user_and_kernel_ranges),     UNIT(alignment_helpers),
};
UNIT_MAIN("unit.pagetable", cases)
