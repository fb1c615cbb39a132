#pragma once

#include "protocol/limits.h"
#include "protocol/types.h"

#include <QStringView>

// What a reply weighs on the wire, without serializing it, and the rules that
// keep every reply under the client's frame limit (limits::kClientMaxFrameBytes).
// Why bounds rather than serializing to measure: a page is serialized once,
// for sending; measuring each message by serializing it would do that work twice.
namespace confab::replysize {

// The bytes Qt's compact JSON writer spends on `text` between its quotes:
// exact. (ASCII 1 byte, '"' and '\\' 2, \b \f \n \r \t 2, other C0 controls
// 6 (\u0001), U+0080-U+07FF 2, a surrogate pair 4, a lone surrogate 6
// (\ud800), anything else in the BMP 3.)
qsizetype jsonStringBytes(QStringView text);

// Upper bounds of each value's compact JSON (every number counted at the
// widest a double prints, 24 characters). Never below the real size.
qsizetype jsonBytesBound(const User& user);
qsizetype jsonBytesBound(const Mention& mention);
qsizetype jsonBytesBound(const Message& message);
qsizetype jsonBytesBound(const Room& room);

// Counts messages into a page of message bodies until the budget is spent.
// The first message always fits: one message is bounded by the content limit
// (limits::kContentMaxLengthCap), and a page must make progress.
class PageBudget {
public:
    explicit PageBudget(qint64 bytes = limits::kPageBudgetBytes)
        : m_left(bytes)
    {}
    // True when `message` fits (it is then counted); false once it would pass
    // the budget: the page ends before it, with hasMore.
    bool take(const Message& message);

private:
    qint64 m_left;
    bool m_first = true;
};

// A page's second look, once reactions and reply previews are attached (they
// are read after the page's rows, so the first count could not see them):
// keeps the messages from the `keep` end while they fit `bytes` (always the
// first) and drops the rest. True when something was dropped (the page then
// has more).
enum class PageEnd { Front, Back };
bool keepWithinBudget(QList<Message>& messages, PageEnd keep, qint64 bytes = limits::kPageBudgetBytes);

// room.lastMessage as a preview: content cut to `maxLength` UTF-16 units (never
// inside a surrogate pair), mentions kept only when wholly inside the cut, and
// `truncated` set when something was cut.
void cutToPreview(Message& message, int maxLength = limits::kPreviewMaxLength);

// Makes room objects fit `budget` bytes, the whole contract whenever it can:
// 1. nothing changes while everything fits;
// 2. else the longest member lists of groups are cut to their first
//    limits::kCutMemberListLength members (memberCount then says how many
//    there are), longest first, until the rooms fit;
// 3. else rooms are left out from the end of the list (the least recently
//    active come last in a rooms reply) until they fit; the first room always
//    stays.
struct RoomsFit {
    int cutMemberLists = 0;
    int leftOut = 0;
};
RoomsFit fitRooms(QList<Room>& rooms, qint64 budget = limits::kRoomsBudgetBytes);
// The same for one room object (a room event): only step 2 can apply.
RoomsFit fitRoom(Room& room, qint64 budget = limits::kRoomsBudgetBytes);

} // namespace confab::replysize
