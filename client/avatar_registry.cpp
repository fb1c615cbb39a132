#include "avatar_registry.h"

#include "protocol/avatars.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QQmlEngine>

namespace confab::client {
namespace {

// The provider reads the cache directory from worker threads.
QMutex g_dirLock;

} // namespace

AvatarRegistry* AvatarRegistry::instance()
{
    static AvatarRegistry* registry = new AvatarRegistry; // lives as long as the process
    return registry;
}

AvatarRegistry* AvatarRegistry::create(QQmlEngine*, QJSEngine*)
{
    AvatarRegistry* registry = instance();
    QQmlEngine::setObjectOwnership(registry, QQmlEngine::CppOwnership);
    return registry;
}

QString AvatarRegistry::source(double userId)
{
    return sourceForId(m_byUser.value(Id(userId)));
}

QString AvatarRegistry::sourceForId(const QString& avatarId)
{
    if (avatarId.isEmpty() || m_broken.contains(avatarId))
        return {};
    if (isStored(avatarId))
        return QStringLiteral("image://avatar/") + avatarId;
    emit wanted(avatarId);
    return {};
}

void AvatarRegistry::setUserAvatar(Id userId, const QString& avatarId)
{
    if (m_byUser.value(userId) == avatarId)
        return;
    if (avatarId.isEmpty())
        m_byUser.remove(userId);
    else
        m_byUser.insert(userId, avatarId);
    bump();
}

void AvatarRegistry::setCacheDirectory(const QString& dir)
{
    {
        QMutexLocker lock(&g_dirLock);
        if (m_dir == dir)
            return;
        m_dir = dir;
    }
    m_stored.clear();
    m_broken.clear();
    bump();
}

QString AvatarRegistry::cacheDirectory() const
{
    QMutexLocker lock(&g_dirLock);
    return m_dir;
}

QString AvatarRegistry::pathOf(const QString& avatarId) const
{
    const QString dir = cacheDirectory();
    if (dir.isEmpty() || !isAvatarId(avatarId))
        return {};
    return QDir(dir).filePath(avatarId);
}

void AvatarRegistry::markStored(const QString& avatarId)
{
    m_broken.remove(avatarId);
    if (!m_stored.contains(avatarId)) {
        m_stored.insert(avatarId);
        bump();
    }
}

bool AvatarRegistry::isStored(const QString& avatarId) const
{
    if (m_stored.contains(avatarId))
        return true;
    const QString path = pathOf(avatarId);
    if (path.isEmpty() || !QFile::exists(path))
        return false;
    const_cast<AvatarRegistry*>(this)->m_stored.insert(avatarId); // a file from an earlier run
    return true;
}

void AvatarRegistry::markBroken(const QString& avatarId)
{
    m_stored.remove(avatarId);
    if (!m_broken.contains(avatarId)) {
        m_broken.insert(avatarId);
        bump();
    }
}

void AvatarRegistry::bump()
{
    ++m_revision;
    emit changed();
}

} // namespace confab::client
