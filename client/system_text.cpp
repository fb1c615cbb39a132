#include "system_text.h"

#include <QCoreApplication>

namespace confab::client {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("SystemText", text);
}

// A topic or name quoted on one line: a line break in it would break the
// compact timeline line apart.
QString quoted(const QString& text)
{
    return QStringLiteral("“%1”").arg(text.simplified());
}

} // namespace

QString joinNames(const QStringList& names)
{
    if (names.isEmpty())
        return QString();
    if (names.size() == 1)
        return names.first();
    const QStringList head = names.mid(0, names.size() - 1);
    return tr("%1 and %2").arg(head.join(QStringLiteral(", ")), names.last());
}

QString systemText(const SystemInfo& info, Id self, const std::function<QString(Id)>& nameOf)
{
    const auto name = [&](Id id) { return id == self ? tr("You") : nameOf(id); };
    // The object of a sentence: "you" in lower case mid-sentence.
    const auto object = [&](Id id) { return id == self ? tr("you") : nameOf(id); };
    QStringList targets;
    for (const Id id : info.userIds)
        targets.append(object(id));
    const QString actor = name(info.actorId);
    const QString first = targets.isEmpty() ? tr("someone") : targets.first();

    switch (info.action) {
    case SystemAction::Created:
        return tr("%1 created the group").arg(actor);
    case SystemAction::MemberAdded:
        // join_room of a public group: the joiner is the actor and the one added.
        if (info.userIds.size() == 1 && info.userIds.first() == info.actorId)
            return tr("%1 joined").arg(actor);
        return tr("%1 added %2").arg(actor, targets.isEmpty() ? tr("someone") : joinNames(targets));
    case SystemAction::MemberRemoved:
        return tr("%1 removed %2").arg(actor, first);
    case SystemAction::MemberLeft:
        return tr("%1 left").arg(actor);
    case SystemAction::RoleChanged:
        // The role given is an extension (docs/protocol.md); a server without
        // it gets a line that stays true whichever way it went.
        if (info.role == MemberRole::Admin)
            return tr("%1 made %2 an admin").arg(actor, first);
        if (info.role == MemberRole::Member)
            return tr("%1 removed %2 as admin").arg(actor, first);
        return tr("%1 changed the role of %2").arg(actor, first);
    case SystemAction::OwnerChanged:
        return tr("%1 made %2 the owner").arg(actor, first);
    case SystemAction::Renamed:
        return tr("%1 renamed the group to %2").arg(actor, quoted(info.name.value_or(QString())));
    case SystemAction::TopicChanged:
        if (info.topic.value_or(QString()).trimmed().isEmpty())
            return tr("%1 removed the topic").arg(actor);
        return tr("%1 changed the topic to %2").arg(actor, quoted(*info.topic));
    case SystemAction::Pinned:
        return tr("%1 pinned a message").arg(actor);
    case SystemAction::Unpinned:
        return tr("%1 unpinned a message").arg(actor);
    }
    return QString();
}

} // namespace confab::client
