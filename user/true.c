/* true.c - do nothing, successfully: exit status 0 (for shell conditions and loops). */
int main(void) { return 0; }
