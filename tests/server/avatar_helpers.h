#pragma once

// What the avatar suites share (tst_server_avatars, tst_cluster_attention):
// images that pass or fail the server's checks, and the requests by name.
#include "test_client.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace confab::test {

// Bytes the server takes for a PNG (it checks the magic bytes only, so the
// rest may be anything; random, so that each call names a new avatar).
inline QByteArray fakePng(qsizetype size)
{
    QByteArray bytes = QByteArray::fromHex("89504e470d0a1a0a");
    while (bytes.size() < size)
        bytes.append(char(QRandomGenerator::global()->bounded(256)));
    bytes.truncate(size);
    return bytes;
}

inline QByteArray fakeJpeg(qsizetype size)
{
    QByteArray bytes = fakePng(size);
    bytes.replace(0, 8, QByteArray::fromHex("ffd8ffe000104a46"));
    return bytes;
}

inline QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

inline QJsonObject setAvatar(TestClient& c, const QByteArray& bytes)
{
    return c.request(QStringLiteral("set_avatar"),
                     {{QStringLiteral("data"), QString::fromLatin1(bytes.toBase64())}});
}

inline QJsonObject clearAvatar(TestClient& c)
{
    return c.request(QStringLiteral("set_avatar"), {{QStringLiteral("clear"), true}});
}

inline QJsonObject fetchAvatar(TestClient& c, const QString& avatarId)
{
    return c.request(QStringLiteral("fetch_avatar"), {{QStringLiteral("avatarId"), avatarId}});
}

// The avatarId of the `user` object in a user / user_updated payload.
inline QString avatarIdIn(const QJsonObject& payload)
{
    return payload.value(QLatin1String("user")).toObject().value(QLatin1String("avatarId")).toString();
}

} // namespace confab::test
