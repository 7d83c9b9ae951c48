/*
 * arith.c - $((expression)): integer arithmetic with C's operators.
 *
 * Precedence climbing, lowest first:
 *
 *   ,  =  *= /= %= += -= <<= >>= &= ^= |=  ?:  ||  &&  |  ^  &  == !=
 *   < <= > >=  << >>  + -  * / %  unary (+ - ! ~)  (expr)  number  name
 *
 * As in dash, there is no ++ or --: "--x" is -(-x).
 *
 * Numbers are decimal, 0x hex or 0 octal. A name reads the variable (unset
 * or empty is 0) and assignments set it. The values are "long", as in dash.
 * && || and ?: skip evaluating (and assigning) the side they do not need.
 */
#include "user/sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arith {
    const char *s;
    size_t pos;
    const char *error;
    int skip; /* > 0: parse only, no assignments, no division errors */
};

static void arith_skip_blanks(struct arith *a)
{
    while (a->s[a->pos] == ' ' || a->s[a->pos] == '\t' || a->s[a->pos] == '\n')
        a->pos++;
}

/* Operators, longest first, so "<<=" is never read as "<" "<=". */
static const char *const arith_operators[] = {
    "<<=", ">>=", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "*=", "/=",
    "%=",  "+=",  "-=", "&=", "^=", "|=", "+",  "-",  "*",  "/",  "%",  "<",
    ">",   "&",   "|",  "^",  "!",  "~",  "?",  ":",  "=",  "(",  ")",  ",",
};

/* Steps over op if it is the next operator. */
static bool arith_accept(struct arith *a, const char *op)
{
    arith_skip_blanks(a);
    for (size_t i = 0; i < sizeof arith_operators / sizeof arith_operators[0]; i++) {
        size_t length = strlen(arith_operators[i]);
        if (strncmp(a->s + a->pos, arith_operators[i], length) != 0)
            continue;
        if (strcmp(arith_operators[i], op) != 0)
            return false;
        a->pos += length;
        return true;
    }
    return false;
}

static long arith_expression(struct arith *a);
static long arith_assignment(struct arith *a);

static long variable_value(const char *name, struct arith *a)
{
    const char *value = vars_get(name);
    if (!value || !*value)
        return 0;
    char *end;
    long number = strtol(value, &end, 0);
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (*end != '\0' && !a->error)
        a->error = "variable is not a number";
    return number;
}

static void variable_store(const char *name, long value, struct arith *a)
{
    if (a->skip)
        return;
    char text[32];
    snprintf(text, sizeof text, "%ld", value);
    vars_set(name, text);
}

/* A variable name at pos, or NULL. */
static char *arith_name(struct arith *a)
{
    arith_skip_blanks(a);
    size_t start = a->pos;
    while (vars_is_name(a->s + start, a->pos - start + 1))
        a->pos++;
    return a->pos > start ? mem_strndup(a->s + start, a->pos - start) : NULL;
}

static long arith_primary(struct arith *a)
{
    arith_skip_blanks(a);
    char c = a->s[a->pos];
    if (arith_accept(a, "(")) {
        long value = arith_expression(a);
        if (!arith_accept(a, ")") && !a->error)
            a->error = "missing )";
        return value;
    }
    if (c >= '0' && c <= '9') {
        char *end;
        long value = strtol(a->s + a->pos, &end, 0);
        a->pos = (size_t)(end - a->s);
        if (vars_is_name(a->s + a->pos, 1) && !a->error)
            a->error = "bad number";
        return value;
    }
    char *name = arith_name(a);
    if (!name) {
        if (!a->error)
            a->error = c ? "syntax error" : "missing operand";
        return 0;
    }
    long value = variable_value(name, a);
    free(name);
    return value;
}

static long arith_unary(struct arith *a)
{
    if (arith_accept(a, "-"))
        return -arith_unary(a);
    if (arith_accept(a, "+"))
        return arith_unary(a);
    if (arith_accept(a, "!"))
        return !arith_unary(a);
    if (arith_accept(a, "~"))
        return ~arith_unary(a);
    return arith_primary(a);
}

/* Binary operators by level, tightest last. */
static const char *const levels[][5] = {
    {"||"},       {"&&"},     {"|"},           {"^"}, {"&"}, {"==", "!="}, {"<=", ">=", "<", ">"},
    {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"},
};
#define LEVEL_COUNT (int)(sizeof levels / sizeof levels[0])

static long apply(struct arith *a, const char *op, long left, long right)
{
    switch (op[0]) {
    case '|':
        return op[1] ? (left || right) : (left | right);
    case '&':
        return op[1] ? (left && right) : (left & right);
    case '^':
        return left ^ right;
    case '=':
        return left == right;
    case '!':
        return left != right;
    case '<':
        return op[1] == '<' ? (long)((unsigned long)left << (right & 63))
               : op[1]      ? left <= right
                            : left < right;
    case '>':
        return op[1] == '>' ? left >> (right & 63) : op[1] ? left >= right : left > right;
    case '+':
        return (long)((unsigned long)left + (unsigned long)right);
    case '-':
        return (long)((unsigned long)left - (unsigned long)right);
    case '*':
        return (long)((unsigned long)left * (unsigned long)right);
    }
    if (right == 0) { /* / or % */
        if (!a->skip && !a->error)
            a->error = "division by zero";
        return 0;
    }
    if (right == -1)
        return op[0] == '/' ? -left : 0;
    return op[0] == '/' ? left / right : left % right;
}

static long arith_binary(struct arith *a, int level)
{
    if (level == LEVEL_COUNT)
        return arith_unary(a);
    long left = arith_binary(a, level + 1);
    for (;;) {
        const char *op = NULL;
        for (int i = 0; i < 5 && levels[level][i]; i++)
            if (arith_accept(a, levels[level][i])) {
                op = levels[level][i];
                break;
            }
        if (!op || a->error)
            return left;
        bool short_circuit = (strcmp(op, "||") == 0 && left) || (strcmp(op, "&&") == 0 && !left);
        a->skip += short_circuit;
        long right = arith_binary(a, level + 1);
        a->skip -= short_circuit;
        left = short_circuit ? strcmp(op, "||") == 0 : apply(a, op, left, right);
    }
}

static long arith_conditional(struct arith *a)
{
    long condition = arith_binary(a, 0);
    if (!arith_accept(a, "?"))
        return condition;
    a->skip += !condition;
    long yes = arith_assignment(a);
    a->skip -= !condition;
    if (!arith_accept(a, ":")) {
        a->error = a->error ? a->error : "expected : in ?:";
        return 0;
    }
    a->skip += !!condition;
    long no = arith_conditional(a);
    a->skip -= !!condition;
    return condition ? yes : no;
}

static const char *const assignment_ops[] = {
    "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="};

static long arith_assignment(struct arith *a)
{
    size_t start = a->pos;
    char *name = arith_name(a);
    if (name) {
        for (size_t i = 0; i < sizeof assignment_ops / sizeof assignment_ops[0]; i++) {
            if (!arith_accept(a, assignment_ops[i]))
                continue;
            long value = arith_assignment(a);
            if (i > 0) {
                char op[4] = {0};
                memcpy(op, assignment_ops[i], strlen(assignment_ops[i]) - 1);
                value = apply(a, op, variable_value(name, a), value);
            }
            variable_store(name, value, a);
            free(name);
            return value;
        }
        free(name);
        a->pos = start;
    }
    return arith_conditional(a);
}

static long arith_expression(struct arith *a)
{
    long value = arith_assignment(a);
    while (!a->error && arith_accept(a, ","))
        value = arith_assignment(a);
    return value;
}

const char *arith_eval(const char *expression, long *result)
{
    struct arith a = {.s = expression};
    arith_skip_blanks(&a);
    *result = a.s[a.pos] ? arith_expression(&a) : 0;
    arith_skip_blanks(&a);
    if (!a.error && a.s[a.pos] != '\0')
        a.error = "syntax error";
    return a.error;
}
