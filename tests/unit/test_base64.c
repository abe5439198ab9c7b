#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base64.h"

static void rfc4648_vectors(void **state)
{
    (void)state;
    const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char out[16];
        size_t n = strlen(plain[i]);
        assert_int_equal(mr_base64_encoded_len(n), strlen(enc[i]));
        mr_base64_encode((const uint8_t *)plain[i], n, out);
        assert_memory_equal(out, enc[i], strlen(enc[i]));
        uint8_t dec[16];
        assert_int_equal(mr_base64_decode(enc[i], strlen(enc[i]), dec), (long)n);
        assert_memory_equal(dec, plain[i], n);
    }
}

static void all_bytes_roundtrip(void **state)
{
    (void)state;
    uint8_t in[256], back[256];
    char enc[344], hex[512];
    for (int i = 0; i < 256; i++)
        in[i] = (uint8_t)i;
    for (size_t n = 0; n <= 256; n += 37) {
        mr_base64_encode(in, n, enc);
        assert_int_equal(mr_base64_decode(enc, mr_base64_encoded_len(n), back), (long)n);
        assert_memory_equal(in, back, n);
        mr_hex_encode(in, n, hex);
        assert_int_equal(mr_hex_decode(hex, 2 * n, back), (long)n);
        assert_memory_equal(in, back, n);
    }
}

static void rejects_malformed(void **state)
{
    (void)state;
    uint8_t out[16];
    assert_int_equal(mr_base64_decode("Zg=", 3, out), -1);
    assert_int_equal(mr_base64_decode("Z===", 4, out), -1);
    assert_int_equal(mr_base64_decode("Zh==", 4, out), -1); /* stray bits */
    assert_int_equal(mr_base64_decode("Zg==Zg==", 8, out), -1);
    assert_int_equal(mr_base64_decode("Zm9v\n", 5, out), -1);
    assert_int_equal(mr_base64_decode("Zm 9", 4, out), -1);
    assert_int_equal(mr_hex_decode("abc", 3, out), -1);
    assert_int_equal(mr_hex_decode("zz", 2, out), -1);
    assert_int_equal(mr_hex_decode("D2cd", 4, out), 2);
    assert_memory_equal(out, "\xd2\xcd", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4648_vectors),
        cmocka_unit_test(all_bytes_roundtrip),
        cmocka_unit_test(rejects_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
