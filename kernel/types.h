/* types.h - fixed-width integer names used everywhere in the kernel. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t i8;
typedef int16_t i16;
typedef int32_t i32;
typedef int64_t i64;

typedef u64 phys_addr_t; /* a physical address: not dereferenceable, see phys_to_virt() */
typedef u64 virt_addr_t; /* a virtual address as a number */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* The struct that contains `member` at address `ptr`. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* Fail the build unless `member` of `type` is at byte `offset`: for structs
 * whose layout assembly code or the hardware relies on. */
#define STATIC_ASSERT_OFFSET(type, member, offset)                                                 \
    _Static_assert(offsetof(type, member) == (offset), #type "." #member " must be at " #offset)

#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
/* A rarely taken path (a report, a wait) kept out of its caller, so the
 * common path does not pay for its stack frame and saved registers. */
#define SLOW_PATH __attribute__((noinline, cold))
#define UNUSED __attribute__((unused))
#define PACKED __attribute__((packed))
/* Inline even at -Og, which inlines nothing by itself: for the few small
 * helpers on the way into and out of every system call. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

#endif
