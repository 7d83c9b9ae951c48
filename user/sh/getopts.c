/*
 * getopts.c - getopts OPTSTRING NAME [ARG...]: one option per call, for
 * "while getopts ab:c opt; do case $opt in ...; esac; done".
 *
 *   OPTSTRING   the option letters; a letter followed by ':' takes an
 *               argument ("-b val" or "-bval"), put in $OPTARG
 *   $OPTIND     the index of the next argument to look at (starts at 1);
 *               after the loop, shift $((OPTIND - 1)) drops the options
 *   NAME        gets the letter, or '?' for an unknown one (and at the end)
 *
 * With a leading ':' in OPTSTRING errors are silent: NAME is '?' with the
 * bad letter in $OPTARG, or ':' when an argument is missing. The options
 * end at the first word not starting with '-', at "-" and after "--".
 * Status 0 while there are options, 1 at the end.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where we are inside a group of letters ("-abc"): the arg and the offset. */
static int group_index;
static size_t group_offset;

static void set_number(const char *name, int value)
{
    char text[16];
    snprintf(text, sizeof text, "%d", value);
    vars_set(name, text);
}

int builtin_getopts(int argc, char **argv, struct builtin_io *io)
{
    if (argc < 3) {
        builtin_error(io, "getopts: usage: getopts OPTSTRING NAME [ARG...]");
        return 2;
    }
    const char *optstring = argv[1], *name = argv[2];
    bool silent = optstring[0] == ':';
    char **args = argc > 3 ? argv + 3 : shell.params;
    int count = argc > 3 ? argc - 3 : shell.param_count;
    const char *optind_text = vars_get("OPTIND");
    int index = optind_text ? atoi(optind_text) : 1;
    if (index < 1)
        index = 1;
    if (index != group_index)
        group_offset = 0; /* OPTIND was reset (or moved): start a new word */

    if (group_offset == 0) {
        const char *word = index <= count ? args[index - 1] : NULL;
        if (!word || word[0] != '-' || word[1] == '\0') {
            vars_set(name, "?");
            vars_unset("OPTARG");
            set_number("OPTIND", index);
            return 1;
        }
        if (strcmp(word, "--") == 0) {
            vars_set(name, "?");
            vars_unset("OPTARG");
            set_number("OPTIND", index + 1);
            return 1;
        }
        group_offset = 1;
    }
    const char *word = args[index - 1];
    char letter = word[group_offset++];
    bool word_done = word[group_offset] == '\0';
    const char *spec = letter != ':' ? strchr(optstring + silent, letter) : NULL;
    char letter_text[2] = {letter, '\0'};

    if (!spec) {
        if (silent) {
            vars_set("OPTARG", letter_text);
        } else {
            builtin_error(io, "getopts: illegal option -%c", letter);
            vars_unset("OPTARG");
        }
        vars_set(name, "?");
    } else if (spec[1] == ':') {
        if (!word_done) { /* -bval */
            vars_set("OPTARG", word + group_offset);
            word_done = true;
            vars_set(name, letter_text);
        } else if (index < count) { /* -b val */
            vars_set("OPTARG", args[index]);
            index++;
            vars_set(name, letter_text);
        } else if (silent) {
            vars_set("OPTARG", letter_text);
            vars_set(name, ":");
        } else {
            builtin_error(io, "getopts: option requires an argument -%c", letter);
            vars_unset("OPTARG");
            vars_set(name, "?");
        }
    } else {
        vars_unset("OPTARG");
        vars_set(name, letter_text);
    }
    if (word_done) {
        index++;
        group_offset = 0;
    }
    group_index = index;
    set_number("OPTIND", index);
    return 0;
}
