/* test_keyboard.c - scancode translation for the PS/2 keyboard (kernel/keyboard.c). */
#include "kernel/keyboard.h"
#include "tests/unit/unit.h"

/* Feed scancodes; return the characters produced, as a string. */
static const char *type(struct keyboard_state *s, const unsigned char *codes, int n)
{
    static char text[64];
    int len = 0;
    for (int i = 0; i < n; i++) {
        char out[3];
        int k = keyboard_translate(s, codes[i], out);
        for (int j = 0; j < k; j++)
            text[len++] = out[j];
    }
    text[len] = '\0';
    return text;
}

static void letters_and_digits(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x23, 0xA3, 0x17, 0x97, 0x02, 0x82}; /* h i 1, with releases */
    CHECK_STR(type(&s, codes, 6), "hi1");
}

static void shift_gives_capitals_and_symbols(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x2A, 0x23, 0x02, 0xAA,
                                   0x23}; /* Shift down, h, 1, Shift up, h */
    CHECK_STR(type(&s, codes, 5), "H!h");
}

static void ctrl_c_is_byte_3(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x1D, 0x2E, 0x9D, 0x2E}; /* Ctrl down, c, Ctrl up, c */
    CHECK_STR(type(&s, codes, 4), "\003c");
}

static void caps_lock_toggles(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x3A, 0xBA, 0x1E, 0x3A, 0xBA, 0x1E}; /* Caps a Caps a */
    CHECK_STR(type(&s, codes, 6), "Aa");
}

static void enter_backspace_and_arrows(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x1C, 0x0E, 0xE0, 0x48, 0xE0, 0xC8}; /* Enter, Backspace, Up */
    CHECK_STR(type(&s, codes, 6), "\r\177\033[A");
}

static void unknown_codes_produce_nothing(void)
{
    struct keyboard_state s = {0};
    const unsigned char codes[] = {0x58, 0x7F, 0xE0, 0x10}; /* F12, nonsense, extended Q */
    CHECK_STR(type(&s, codes, 4), "");
}

static const struct unit_case cases[] = {
    UNIT(letters_and_digits),         UNIT(shift_gives_capitals_and_symbols),
    UNIT(ctrl_c_is_byte_3),           UNIT(caps_lock_toggles),
    UNIT(enter_backspace_and_arrows), UNIT(unknown_codes_produce_nothing),
};
UNIT_MAIN("unit.keyboard", cases)
