#pragma once

#include "protocol/error_code.h"

#include <QString>

#include <type_traits>
#include <utility>
#include <variant>

namespace confab {

// An error as a value: what went wrong, in the contract's vocabulary.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    QString message;
    // Only for ErrorCode::RateLimited: milliseconds until a retry can succeed.
    qint64 retryAfterMs = -1;
    // Files (issue 16): the upload or download an error is about, and for
    // "expected offset N" the offset to resume from. On the wire when set.
    qint64 fileId = 0;
    qint64 offset = -1;

    friend bool operator==(const Error& a, const Error& b)
    {
        return a.code == b.code && a.message == b.message && a.retryAfterMs == b.retryAfterMs &&
               a.fileId == b.fileId && a.offset == b.offset;
    }
};

inline Error makeError(ErrorCode code, QString message)
{
    return Error{code, std::move(message), -1};
}

// Either a value or an Error. Layers return these instead of throwing or aborting.
// Constructing from an Error always means failure, also for Result<Error>
// (errorFromPayload()): there a value needs Result(std::in_place, value).
template <typename T>
class Result {
public:
    template <typename U = T, std::enable_if_t<!std::is_same_v<U, Error>, int> = 0>
    Result(T value)
        : m_v(std::in_place_index<0>, std::move(value))
    {}
    Result(std::in_place_t, T value)
        : m_v(std::in_place_index<0>, std::move(value))
    {}
    Result(Error error)
        : m_v(std::in_place_index<1>, std::move(error))
    {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_v); }
    T& value() & { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    const T* operator->() const { return &std::get<0>(m_v); }
    T* operator->() { return &std::get<0>(m_v); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }

    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_ok(false)
    {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace confab
