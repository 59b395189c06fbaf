// fc_b.c - a stand-in for "fc /b", used only by the test suite (tests/
// build_bat.sh), because Wine 8's fc.exe is a stub that calls any two files
// equal and Wine 10's supports only /C. It does what Microsoft documents
// for "fc /b FILE1 FILE2": exit 0 when the files are identical, 1 when they
// differ (each differing offset printed as "OFFSET: XX YY", in hex, and
// which file is longer), 2 when a file cannot be opened or the command
// line is not "/b FILE1 FILE2". Nothing outside tests/ uses it.

#include <stdio.h>
#include <string.h>
#include <errno.h>

// Compare two open files byte by byte, printing fc /b's lines. Returns 0
// when they are equal, 1 when they differ.
static int CompareBytes(FILE *a, FILE *b, const char *nameA, const char *nameB)
{
    unsigned long offset = 0;
    int differ = 0;
    int ca, cb;

    for (;;)
    {
        ca = getc(a);
        cb = getc(b);
        if (ca == EOF || cb == EOF)
            break;
        if (ca != cb)
        {
            printf("%08lX: %02X %02X\n", offset, (unsigned)ca, (unsigned)cb);
            differ = 1;
        }
        offset++;
    }
    if (ca != EOF)
    {
        printf("FC: %s longer than %s\n", nameA, nameB);
        differ = 1;
    }
    else if (cb != EOF)
    {
        printf("FC: %s longer than %s\n", nameB, nameA);
        differ = 1;
    }
    if (!differ)
        printf("FC: no differences encountered\n");
    return differ;
}

// fc /b FILE1 FILE2. Returns fc's documented exit code.
int main(int argc, char *argv[])
{
    FILE *a, *b;
    int rc;

    if (argc != 4 || (strcmp(argv[1], "/b") != 0 && strcmp(argv[1], "/B") != 0))
    {
        fprintf(stderr, "FC: this stand-in supports only: fc /b FILE1 FILE2\n");
        return 2;
    }
    a = fopen(argv[2], "rb");
    if (a == NULL)
    {
        printf("FC: cannot open %s - %s\n", argv[2], strerror(errno));
        return 2;
    }
    b = fopen(argv[3], "rb");
    if (b == NULL)
    {
        printf("FC: cannot open %s - %s\n", argv[3], strerror(errno));
        fclose(a);
        return 2;
    }
    printf("Comparing files %s and %s\n", argv[2], argv[3]);
    rc = CompareBytes(a, b, argv[2], argv[3]);
    fclose(a);
    fclose(b);
    return rc;
}
