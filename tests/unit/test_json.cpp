#include <doctest/doctest.h>

#include <warpsynth/util/json.hpp>

using namespace warpsynth::json;

TEST_CASE("json strings round-trip through writer and parser") {
    std::string text = "line\n\ttab \"quoted\" back\\slash \x01 ünï";
    std::string out;
    append_string(out, text);
    CHECK(out == "\"line\\n\\ttab \\\"quoted\\\" back\\\\slash \\u0001 ünï\"");
    parse_error err;
    auto v = parser(out).parse(err);
    REQUIRE(v);
    CHECK(v->str == text);
}

TEST_CASE("json parser reports errors with offsets and never accepts garbage") {
    const char* bad[] = {"", "{", "{\"a\":}", "[1,]", "\"abc", "{\"a\" 1}", "tru", "1 2", "{\"a\":\"\\x\"}", "\"\\ud800\""};
    for (auto b : bad) {
        parse_error err;
        CHECK_FALSE(parser(b).parse(err));
        CHECK_FALSE(err.message.empty());
    }
    parse_error err;
    auto v = parser(R"({"id": "0-1", "n": -1.5e3, "ok": true, "x": null, "list": [1, "a", {}]})").parse(err);
    REQUIRE(v);
    CHECK(v->find("id")->str == "0-1");
    CHECK(v->find("n")->num == -1500.0);
    CHECK(v->find("ok")->b);
    CHECK(v->find("list")->items.size() == 3);
}
