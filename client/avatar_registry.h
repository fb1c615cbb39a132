#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

namespace confab::client {

// Which picture each user has and which pictures are on disk, for
// Avatar.qml (a QML singleton: an Avatar anywhere needs only a user id) and
// the image provider (image://avatar/<avatarId>, which reads the cache
// directory). One per process: user ids and avatar ids come from one
// server per profile, and a process runs one profile (tests that run two
// clients against one server agree on both).
class AvatarRegistry : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    // Bumped whenever a user's picture or a file's presence changes: Avatar.qml
    // re-evaluates its source when it changes.
    Q_PROPERTY(int revision READ revision NOTIFY changed)

public:
    static AvatarRegistry* instance();
    static AvatarRegistry* create(QQmlEngine*, QJSEngine*);

    int revision() const { return m_revision; }
    // "image://avatar/<id>" when the user has a picture that is on disk; ""
    // otherwise (and the picture is asked for: wanted()).
    Q_INVOKABLE QString source(double userId);
    Q_INVOKABLE QString sourceForId(const QString& avatarId);

    void setUserAvatar(Id userId, const QString& avatarId);
    QString avatarOf(Id userId) const { return m_byUser.value(userId); }
    void setCacheDirectory(const QString& dir);
    QString cacheDirectory() const;
    // The file of `avatarId` ("" for an id that is not 64 lowercase hex digits).
    QString pathOf(const QString& avatarId) const;
    void markStored(const QString& avatarId);
    bool isStored(const QString& avatarId) const;
    // A file could not be read (the provider refused it): forget it, so that
    // it is fetched again rather than asked for forever.
    void markBroken(const QString& avatarId);
    // Every Avatar asks again (after a reconnect: what was wanted offline).
    void refresh() { bump(); }

signals:
    void changed();
    void wanted(const QString& avatarId);

private:
    AvatarRegistry() = default;
    void bump();

    QHash<Id, QString> m_byUser;
    QSet<QString> m_stored;
    QSet<QString> m_broken;
    QString m_dir;
    int m_revision = 0;
};

} // namespace confab::client
