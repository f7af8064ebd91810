#pragma once

// Result<T, E>: a value or an error, shaped like std::expected (C++23) so it can be swapped for it
// once libstdc++ ships <expected> in C++20 mode. We do not throw in pure modules and the data
// plane.

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace octane {

// A failure with a machine-readable code and a human message.
struct Error {
    int code = 0;
    std::string message;
};

template <typename E>
class Unexpected {
  public:
    explicit Unexpected(E error) : error_(std::move(error)) {}
    E& error() & { return error_; }
    E&& error() && { return std::move(error_); }
    const E& error() const& { return error_; }

  private:
    E error_;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

inline Unexpected<Error> make_error(std::string message, int code = 0) {
    return Unexpected<Error>(Error{code, std::move(message)});
}

template <typename T, typename E = Error>
class Result {
  public:
    Result() requires std::is_default_constructible_v<T> : state_(std::in_place_index<0>) {}
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Unexpected<E> error) : state_(std::in_place_index<1>, std::move(error).error()) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    E& error() & { return std::get<1>(state_); }
    const E& error() const& { return std::get<1>(state_); }
    E&& error() && { return std::get<1>(std::move(state_)); }

  private:
    std::variant<T, E> state_;
};

// Result<void>: success carries nothing.
template <typename E>
class Result<void, E> {
  public:
    Result() = default;
    Result(Unexpected<E> error) : error_(std::move(error).error()), ok_(false) {}

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    E& error() & { return error_; }
    const E& error() const& { return error_; }

  private:
    E error_{};
    bool ok_ = true;
};

}  // namespace octane
