/* whoami.c - print the name of the effective user (as `id -un`). */
#include <stdio.h>
#include <unistd.h>

#include "user/lib/users.h"

int main(void)
{
    char name[64];
    users_user_name(geteuid(), name, sizeof name);
    printf("%s\n", name);
    return 0;
}
