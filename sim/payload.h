// Payload: a type-erased, copyable message body, stored inline when small.
//
// The kernel knows nothing of protocols, so messages travel as Payloads. A message type is any
// copyable struct with a name for traces and the GUI:
//
//     struct RequestVote {
//         static constexpr std::string_view type_name = "request_vote";
//         uint64_t term; ...
//         std::string describe() const;   // optional: shown in full traces and the inspector
//     };
//
// Values up to inline_capacity bytes live inside the Payload (no allocation on the hot path);
// larger ones go to the heap. Copying a Payload copies the value (the network duplicates
// messages by copying). Type checks compare a per-type vtable address, which is stable within a
// build; traces and hashes use the type's name (and its hash), never an address.
#pragma once

#include "sim/assert.h"
#include "sim/rng.h"

#include <cstddef>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace faultline {

template <typename T>
concept MessageType = std::is_copy_constructible_v<T> && requires {
    { T::type_name } -> std::convertible_to<std::string_view>;
};

template <typename T>
concept Describable = requires(const T& t) {
    { t.describe() } -> std::convertible_to<std::string>;
};

class Payload {
public:
    static constexpr std::size_t inline_capacity = 48;

    struct VTable {
        std::string_view name;
        uint64_t name_hash;
        bool inline_storage;
        // The stored bytes can be moved by copying them (a heap pointer, or a trivially copyable
        // inline value), and destroying an inline value is nothing: the hot path's moves and
        // destructions then make no indirect call.
        bool relocatable;
        bool trivially_destructible;
        void (*destroy)(void* storage);
        void (*copy)(void* dst, const void* src);
        void (*move)(void* dst, void* src);
        std::string (*describe)(const void* value);
    };

    Payload() = default;

    template <MessageType T>
    static Payload make(T value) {
        Payload p;
        p.vtable_ = &vtable_for<T>;
        if constexpr (fits_inline<T>()) {
            ::new (static_cast<void*>(p.storage_)) T(std::move(value));
        } else {
            *reinterpret_cast<T**>(p.storage_) = new T(std::move(value));
        }
        return p;
    }

    Payload(const Payload& o) : vtable_(o.vtable_) {
        if (vtable_ != nullptr) vtable_->copy(storage_, o.storage_);
    }
    Payload(Payload&& o) noexcept : vtable_(o.vtable_) {
        if (vtable_ != nullptr) {
            relocate_from(o);
            o.vtable_ = nullptr;
        }
    }
    Payload& operator=(const Payload& o) {
        if (this != &o) {
            Payload tmp(o);
            *this = std::move(tmp);
        }
        return *this;
    }
    Payload& operator=(Payload&& o) noexcept {
        if (this != &o) {
            reset();
            vtable_ = o.vtable_;
            if (vtable_ != nullptr) {
                relocate_from(o);
                o.vtable_ = nullptr;
            }
        }
        return *this;
    }
    ~Payload() { reset(); }

    bool empty() const { return vtable_ == nullptr; }
    // A key that identifies the type within this process (for memoising lookups only; never
    // hashed or ordered on, since addresses differ between builds and runs).
    const void* vtable_key() const { return vtable_; }
    std::string_view type_name() const { return vtable_ ? vtable_->name : std::string_view("none"); }
    uint64_t type_hash() const { return vtable_ ? vtable_->name_hash : 0; }
    std::string describe() const { return vtable_ ? vtable_->describe(storage_) : std::string(); }

    template <MessageType T>
    bool is() const {
        return vtable_ == &vtable_for<T>;
    }
    // The value if it is a T, else nullptr.
    template <MessageType T>
    const T* as() const {
        if (!is<T>()) return nullptr;
        return static_cast<const T*>(value_ptr());
    }
    // The value, which must be a T.
    template <MessageType T>
    const T& get() const {
        FL_ASSERT(is<T>(), "payload is a {}, not a {}", type_name(), T::type_name);
        return *static_cast<const T*>(value_ptr());
    }

private:
    template <typename T>
    static constexpr bool fits_inline() {
        return sizeof(T) <= inline_capacity && alignof(T) <= alignof(std::max_align_t) &&
               std::is_nothrow_move_constructible_v<T>;
    }

    const void* value_ptr() const {
        if (vtable_->inline_storage) return storage_;
        return *reinterpret_cast<void* const*>(storage_);
    }

    void reset() {
        if (vtable_ != nullptr) {
            if (!vtable_->trivially_destructible) vtable_->destroy(storage_);
            vtable_ = nullptr;
        }
    }

    // Moves o's value into this (vtable_ already set to o's); o's vtable_ is cleared by the caller.
    void relocate_from(Payload& o) noexcept {
        if (vtable_->relocatable) {
            std::memcpy(storage_, o.storage_, inline_capacity);
        } else {
            vtable_->move(storage_, o.storage_);
        }
    }

    template <typename T>
    static std::string describe_value(const void* v) {
        if constexpr (Describable<T>) {
            return static_cast<const T*>(v)->describe();
        } else {
            return std::string();
        }
    }

    template <typename T>
    static const VTable make_vtable() {
        VTable vt{};
        vt.name = T::type_name;
        vt.name_hash = hash_label(T::type_name);
        vt.inline_storage = fits_inline<T>();
        vt.relocatable = !fits_inline<T>() || std::is_trivially_copyable_v<T>;
        vt.trivially_destructible = fits_inline<T>() && std::is_trivially_destructible_v<T>;
        if constexpr (fits_inline<T>()) {
            vt.destroy = [](void* s) { static_cast<T*>(s)->~T(); };
            vt.copy = [](void* d, const void* s) { ::new (d) T(*static_cast<const T*>(s)); };
            vt.move = [](void* d, void* s) {
                ::new (d) T(std::move(*static_cast<T*>(s)));
                static_cast<T*>(s)->~T();
            };
            vt.describe = [](const void* s) { return describe_value<T>(s); };
        } else {
            vt.destroy = [](void* s) { delete *static_cast<T**>(s); };
            vt.copy = [](void* d, const void* s) {
                *static_cast<T**>(d) = new T(**static_cast<T* const*>(s));
            };
            vt.move = [](void* d, void* s) {
                *static_cast<T**>(d) = *static_cast<T**>(s);
                *static_cast<T**>(s) = nullptr;
            };
            vt.describe = [](const void* s) { return describe_value<T>(*static_cast<T* const*>(s)); };
        }
        return vt;
    }

    template <typename T>
    static inline const VTable vtable_for = make_vtable<T>();

    const VTable* vtable_ = nullptr;
    alignas(std::max_align_t) unsigned char storage_[inline_capacity];
};

}  // namespace faultline
