#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "varuint.h"

static void roundtrip_boundaries(void **state)
{
    (void)state;
    const uint64_t values[] = {0, 1, 126, 127, 128, 129, 16383, 16384, 16385,
                               2097151, 2097152, 0x14a6b1, UINT32_MAX, UINT64_MAX};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint8_t buf[MR_VARUINT_MAX_LEN];
        size_t n = mr_varuint_encode(values[i], buf);
        assert_int_equal(n, mr_varuint_len(values[i]));
        uint64_t v;
        size_t used;
        assert_int_equal(mr_varuint_decode(buf, n, &v, &used), MR_VARUINT_OK);
        assert_int_equal(used, n);
        assert_true(v == values[i]);
        /* one byte short is truncated, never read past */
        assert_int_equal(mr_varuint_decode(buf, n - 1, &v, &used), MR_VARUINT_TRUNCATED);
    }
}

static void image_kind_encodes_as_magic(void **state)
{
    (void)state;
    uint8_t buf[MR_VARUINT_MAX_LEN];
    assert_int_equal(mr_varuint_encode(0x14a6b1, buf), 3);
    assert_memory_equal(buf, "\xd2\xcd\x31", 3);
}

static void padding_keeps_value(void **state)
{
    (void)state;
    uint8_t buf[64];
    assert_int_equal(mr_varuint_encode_padded(259, 3, buf), 3);
    assert_memory_equal(buf, "\x80\x82\x03", 3);
    uint64_t v;
    size_t used;
    assert_int_equal(mr_varuint_decode(buf, 3, &v, &used), MR_VARUINT_OK);
    assert_int_equal(v, 259);
    assert_int_equal(used, 3);
    assert_int_equal(mr_varuint_encode_padded(259, 1, buf), 0);
    /* many padding bytes are still one value */
    memset(buf, 0x80, 40);
    buf[40] = 5;
    assert_int_equal(mr_varuint_decode(buf, 41, &v, &used), MR_VARUINT_OK);
    assert_int_equal(v, 5);
}

static void overflow_is_reported(void **state)
{
    (void)state;
    uint8_t buf[11];
    memset(buf, 0xff, 10);
    buf[10] = 0x7f;
    uint64_t v;
    size_t used;
    assert_int_equal(mr_varuint_decode(buf, 11, &v, &used), MR_VARUINT_OVERFLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip_boundaries),
        cmocka_unit_test(image_kind_encodes_as_magic),
        cmocka_unit_test(padding_keeps_value),
        cmocka_unit_test(overflow_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
