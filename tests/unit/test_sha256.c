#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void expect_hex(const uint8_t d[MR_SHA256_LEN], const char *want)
{
    char hex[2 * MR_SHA256_LEN + 1];
    mr_sha256_hex(d, hex);
    assert_string_equal(hex, want);
}

/* FIPS 180-2, appendix B. */
static void fips_abc(void **state)
{
    (void)state;
    uint8_t d[MR_SHA256_LEN];
    mr_sha256("abc", 3, d);
    expect_hex(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void empty_message(void **state)
{
    (void)state;
    uint8_t d[MR_SHA256_LEN];
    mr_sha256("", 0, d);
    expect_hex(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void fips_448_bits(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    uint8_t d[MR_SHA256_LEN];
    mr_sha256(m, strlen(m), d);
    expect_hex(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A million 'a', fed in uneven pieces so the block buffering is exercised. */
static void fips_million_a(void **state)
{
    (void)state;
    static uint8_t chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    mr_sha256_ctx s;
    mr_sha256_init(&s);
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        if (n > sizeof chunk)
            n = sizeof chunk;
        mr_sha256_update(&s, chunk, n);
        left -= n;
        step = step * 7 % 997 + 1;
    }
    uint8_t d[MR_SHA256_LEN];
    mr_sha256_final(&s, d);
    expect_hex(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes) agree between one-shot
 * and byte-at-a-time hashing. */
static void padding_boundaries(void **state)
{
    (void)state;
    uint8_t buf[130];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 31 + 7);
    for (size_t len = 50; len <= 130; len++) {
        uint8_t a[MR_SHA256_LEN], b[MR_SHA256_LEN];
        mr_sha256(buf, len, a);
        mr_sha256_ctx s;
        mr_sha256_init(&s);
        for (size_t i = 0; i < len; i++)
            mr_sha256_update(&s, buf + i, 1);
        mr_sha256_final(&s, b);
        assert_memory_equal(a, b, MR_SHA256_LEN);
    }
    uint8_t d[MR_SHA256_LEN];
    memset(buf, 0, 64);
    mr_sha256(buf, 64, d); /* 64 zero bytes: a full block then a padding block */
    expect_hex(d, "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_abc),
        cmocka_unit_test(empty_message),
        cmocka_unit_test(fips_448_bits),
        cmocka_unit_test(fips_million_a),
        cmocka_unit_test(padding_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
