// Append-order pruning (check/append_order.h): a history whose reads spell out the order of the
// appends is decided at once, where the search without it explores every order of the appends
// nobody read. Method: one writer appends "w<i>;" and reads the value after each append, while
// `idle` other clients each start an append that never completes (info: the client gave up), and
// nobody ever reads those. Without the prune the search may place each info append anywhere, in
// any order, before finding that no read agrees; with it, an append nobody read is tried only
// after the last read.
#include <catch2/catch.hpp>

#include <string>

#include "check/checker.h"
#include "check/history_builder.h"
#include "check/key_search.h"

namespace faultline::check {
namespace {

// `last_read`: the value the final read returns; the right one unless the test breaks it.
History writer_and_unread_appends(int idle, int rounds, const std::string* last_read = nullptr) {
    HistoryBuilder h;
    for (int p = 1; p <= idle; ++p) h.invoke(p, Function::append, "k", "x" + std::to_string(p) + ";");
    std::string value;
    for (int i = 1; i <= rounds; ++i) {
        std::string token = "w" + std::to_string(i) + ";";
        OpId append = h.invoke(0, Function::append, "k", token);
        h.complete_ok(append);
        value += token;
        OpId get = h.invoke(0, Function::get, "k");
        h.complete_ok(get, i == rounds && last_read ? *last_read : value);
    }
    for (int p = 1; p <= idle; ++p) h.complete_info(p - 1);
    return h.take();
}

std::vector<Operation> ops_of(const History& history) {
    auto ops = pair_operations(history);
    REQUIRE(ops.ok());
    return ops.value();
}

KeySearch::Status search(const History& history, KeySearch::Pruning pruning, std::uint64_t steps, std::uint64_t* used) {
    MemoryPool pool(256ull << 20);
    KeySearch s(Model::key_value_map(), ops_of(history), &pool, nullptr, pruning);
    KeySearch::Status status = s.run(steps);
    *used = s.steps();
    return status;
}

}  // namespace

TEST_CASE("append order: unread info appends no longer multiply the search", "[check][append_order]") {
    History history = writer_and_unread_appends(14, 12);
    std::uint64_t with = 0, without = 0;
    REQUIRE(search(history, KeySearch::Pruning::append_order, 1'000'000, &with) == KeySearch::Status::linearizable);
    // The same history without the prune: still searching after a million steps.
    REQUIRE(search(history, KeySearch::Pruning::none, 1'000'000, &without) == KeySearch::Status::searching);
    INFO("steps with the prune " << with);
    REQUIRE(with < 1'000);
}

TEST_CASE("append order: a read out of the appends' order is a violation, found at once", "[check][append_order]") {
    // The last read swaps the writer's last two appends: they did not run concurrently, so no
    // linearization has them in that order.
    std::string swapped;
    for (int i = 1; i <= 10; ++i) swapped += "w" + std::to_string(i) + ";";
    swapped += "w12;w11;";
    History history = writer_and_unread_appends(14, 12, &swapped);
    std::uint64_t with = 0;
    REQUIRE(search(history, KeySearch::Pruning::append_order, 1'000'000, &with) == KeySearch::Status::not_linearizable);
    REQUIRE(with < 10'000);
    CheckResult result = check(history, Model::key_value_map());
    REQUIRE(result.verdict == Verdict::violation);
}

TEST_CASE("append order: an info append that a read shows is placed where the read puts it", "[check][append_order]") {
    // Client 1's append never completed but the final read shows it between w2 and w3, so it
    // happened there; the read of w1;w2; before it and the read after it agree.
    HistoryBuilder h;
    OpId lost = h.invoke(1, Function::append, "k", "x;");
    for (int i = 1; i <= 3; ++i) {
        OpId a = h.invoke(0, Function::append, "k", "w" + std::to_string(i) + ";");
        h.complete_ok(a);
    }
    OpId get = h.invoke(0, Function::get, "k");
    h.complete_ok(get, "w1;w2;x;w3;");
    h.complete_info(lost);
    REQUIRE(check(h.history(), Model::key_value_map()).verdict == Verdict::ok);
    // Shown before w1, which completed before the read of "w1;..." began: a violation.
    HistoryBuilder bad;
    lost = bad.invoke(1, Function::append, "k", "x;");
    OpId a1 = bad.invoke(0, Function::append, "k", "w1;");
    bad.complete_ok(a1);
    OpId g1 = bad.invoke(0, Function::get, "k");
    bad.complete_ok(g1, "w1;");
    OpId g2 = bad.invoke(0, Function::get, "k");
    bad.complete_ok(g2, "x;w1;");
    bad.complete_info(lost);
    REQUIRE(check(bad.history(), Model::key_value_map()).verdict == Verdict::violation);
}

TEST_CASE("append order: a key with puts is searched as before", "[check][append_order]") {
    // A put may reset the value without reading it, so the argument does not hold: the prune is
    // off, and an unread info append then costs the search what it always did.
    MemoryPool pool(1 << 20);
    std::vector<Operation> ops = ops_of(writer_and_unread_appends(2, 2));
    REQUIRE(AppendOrder(ops, &pool).enabled());
    Operation put = ops.back();
    put.f = Function::put;
    put.value = "v";
    put.output = std::nullopt;
    ops.push_back(put);
    REQUIRE_FALSE(AppendOrder(ops, &pool).enabled());
}

}  // namespace faultline::check
