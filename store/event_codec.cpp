#include "store/event_codec.h"

#include "sim/assert.h"

#include <fmt/format.h>

namespace faultline::store {

namespace {

enum : uint8_t {
    has_cause = 1 << 0,
    has_node = 1 << 1,
    has_peer = 1 << 2,
    has_reason = 1 << 3,
    has_name = 1 << 4,
    has_text = 1 << 5,
};
constexpr uint8_t known_flags = 0x3f;

uint64_t zigzag(uint64_t delta) {
    int64_t d = static_cast<int64_t>(delta);
    return (static_cast<uint64_t>(d) << 1) ^ static_cast<uint64_t>(d >> 63);
}
uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (~(z & 1) + 1); }

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}
    bool byte(uint8_t& v) {
        if (pos_ >= bytes_.size()) return false;
        v = static_cast<uint8_t>(bytes_[pos_++]);
        return true;
    }
    bool varint(uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            uint8_t b = 0;
            if (!byte(b)) return false;
            v |= static_cast<uint64_t>(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return shift < 63 || b <= 1;  // the 10th byte holds one bit
        }
        return false;
    }
    bool text(std::string& s, uint64_t length) {
        if (length > bytes_.size() - pos_) return false;
        s.assign(bytes_.data() + pos_, length);
        pos_ += length;
        return true;
    }
    std::size_t position() const { return pos_; }
    bool at_end() const { return pos_ == bytes_.size(); }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

void encode_events(std::span<const TraceEvent> events, std::string& out) {
    uint64_t previous_time = 0;
    uint64_t previous_lamport = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        FL_ASSERT(i == 0 || e.index == events[i - 1].index + 1, "events to encode must be consecutive: {} after {}",
                  e.index, events[i - 1].index);
        uint8_t flags = 0;
        if (e.cause != no_event) flags |= has_cause;
        if (e.node != no_node) flags |= has_node;
        if (e.peer != no_node) flags |= has_peer;
        if (e.reason != 0) flags |= has_reason;
        if (e.name != 0) flags |= has_name;
        if (!e.text.empty()) flags |= has_text;
        out.push_back(static_cast<char>(static_cast<uint8_t>(e.kind)));
        out.push_back(static_cast<char>(flags));
        const uint64_t time = static_cast<uint64_t>(e.time.ns());
        put_varint(out, zigzag(time - previous_time));
        put_varint(out, zigzag(static_cast<uint64_t>(e.local_time.ns()) - time));
        put_varint(out, zigzag(e.lamport - previous_lamport));
        put_varint(out, e.id);
        if (flags & has_cause) put_varint(out, e.index - e.cause);
        if (flags & has_node) put_varint(out, e.node);
        if (flags & has_peer) put_varint(out, e.peer);
        if (flags & has_reason) out.push_back(static_cast<char>(e.reason));
        if (flags & has_name) put_varint(out, e.name);
        if (flags & has_text) {
            put_varint(out, e.text.size());
            out.append(e.text);
        }
        previous_time = time;
        previous_lamport = e.lamport;
    }
}

std::optional<std::string> decode_events(std::string_view bytes, uint64_t first_index, uint64_t count,
                                         std::vector<TraceEvent>& out) {
    Reader in(bytes);
    uint64_t previous_time = 0;
    uint64_t previous_lamport = 0;
    for (uint64_t i = 0; i < count; ++i) {
        const std::size_t start = in.position();
        auto bad = [&](std::string_view what) {
            return fmt::format("event {} (byte {} of the chunk): {}", first_index + i, start, what);
        };
        TraceEvent e;
        e.index = first_index + i;
        uint8_t kind = 0;
        uint8_t flags = 0;
        if (!in.byte(kind) || !in.byte(flags)) return bad("truncated");
        if (kind >= event_kind_count) return bad(fmt::format("kind code {} is unknown to this build", kind));
        if ((flags & ~known_flags) != 0) return bad(fmt::format("unknown flags {:#x}", flags));
        e.kind = static_cast<EventKind>(kind);
        uint64_t time_delta = 0, local_delta = 0, lamport_delta = 0, v = 0;
        if (!in.varint(time_delta) || !in.varint(local_delta) || !in.varint(lamport_delta) || !in.varint(e.id)) {
            return bad("truncated");
        }
        const uint64_t time = previous_time + unzigzag(time_delta);
        e.time = Instant::from_ns(static_cast<int64_t>(time));
        e.local_time = Instant::from_ns(static_cast<int64_t>(time + unzigzag(local_delta)));
        e.lamport = previous_lamport + unzigzag(lamport_delta);
        if (flags & has_cause) {
            if (!in.varint(v)) return bad("truncated");
            e.cause = e.index - v;
        }
        if (flags & has_node) {
            if (!in.varint(v) || v >= no_node) return bad("bad node");
            e.node = static_cast<NodeId>(v);
        }
        if (flags & has_peer) {
            if (!in.varint(v) || v >= no_node) return bad("bad peer");
            e.peer = static_cast<NodeId>(v);
        }
        if (flags & has_reason) {
            if (!in.byte(e.reason)) return bad("truncated");
        }
        if (flags & has_name) {
            if (!in.varint(v) || v > UINT32_MAX) return bad("bad name id");
            e.name = static_cast<uint32_t>(v);
        }
        if (flags & has_text) {
            std::string text;
            if (!in.varint(v) || !in.text(text, v)) return bad("truncated text");
            e.text = std::move(text);
        }
        previous_time = time;
        previous_lamport = e.lamport;
        out.push_back(std::move(e));
    }
    if (!in.at_end()) return fmt::format("{} bytes left over after {} events", bytes.size() - in.position(), count);
    return std::nullopt;
}

}  // namespace faultline::store
