"""One-to-one character folding: full-width forms and traditional characters.

Published tables from every province are read with one vocabulary.  Each
character maps to exactly one character, so a position in the folded text is
the same position in the original and error carets point at what the user
typed.  (Unicode NFKC would turn ``㎡`` into ``m2`` and move positions;
OpenCC-style converters map phrases, not characters, and cost a dependency
and import time for the few hundred characters budget tables use.)

The traditional table covers the characters of perfscore's vocabulary —
comparators (不超過, 以內), units (萬元, 噸, 個), numerals (億, 兩, 貳, 點),
completion and negation words (達成, 實現, 沒有), directions (增長, 減少),
date words (當年, 號) and indicator levels (產出指標, 滿意度) — plus the common
words around them.  Adding a character is a one-line change below.
"""

from __future__ import annotations

import re

__all__ = ["fold"]

# (traditional, simplified) pairs; one character each.
_TRADITIONAL = (
    # numerals, money, signs
    "萬万 億亿 兩两 點点 貳贰 參参 陸陆 負负 圓元 "
    # comparators and range words
    "於于 過过 內内 達达 與与 間间 並并 為为 範范 圍围 誤误 偏偏 較较 "
    # units and classifiers
    "個个 項项 場场 噸吨 臺台 條条 種种 隻只 頭头 冊册 張张 隊队 組组 處处 輛辆 門门 類类 "
    "節节 單单 筆笔 戶户 畝亩 頃顷 釐厘 週周 時时 鐘钟 學学 課课 盞盏 歲岁 艘艘 棟栋 "
    "車车 輪轮 樁桩 幀帧 頁页 卷卷 區区 縣县 鄉乡 鎮镇 裡里 裏里 "
    # completion, negation, grades
    "實实 現现 際际 預预 計计 劃划 沒没 無无 還还 發发 驗验 優优 準准 規规 證证 確确 "
    "經经 營营 費费 資资 撥拨 轉转 結结 餘余 執执 總总 額额 係系 會会 議议 "
    "訓训 練练 導导 顯显 應应 進进 續续 響响 態态 濟济 產产 標标 數数 質质 滿满 "
    "務务 對对 關关 觀观 動动 協协 術术 藝艺 衛卫 醫医 療疗 養养 勞劳 農农 業业 "
    "廠厂 礦矿 鐵铁 線线 網网 絡络 訊讯 號号 碼码 園园 廣广 東东 華华 陽阳 問问 題题 "
    "覆覆 蓋盖 聲声 環环 員员 義义 評评 價价 級级 專专 來来 積积 極极 狀状 況况 齊齐 "
    "設设 備备 維维 護护 運运 傳传 電电 報报 書书 圖图 館馆 後后 須须 開开 當当 "
    # directions and approximations
    "長长 減减 約约 將将 幾几 "
    # common words in indicator names and actuals
    "們们 這这 從从 於于 雙双 體体 財财 政政 險险 災灾 貧贫 難难 舊旧 築筑 災灾 "
    "壓压 權权 歷历 層层 觸触 戰战 賽赛 獎奖 勵励 貸贷 債债 償偿 額额 稅税 "
    "辦办 處处 參参 個个 號号 歸归 檢检 測测 監监 督督 審审 稽稽 核核 聯联 "
    "綠绿 態态 氣气 噪噪 汙污 污污 廢废 棄弃 淨净 潔洁 衛卫 鮮鲜 糧粮 飲饮 "
    "車车 駛驶 鐵铁 橋桥 隧隧 燈灯 塊块 頂顶 擴扩 擬拟 穩稳 純纯 罰罚 "
)
_PAIRS = [pair for pair in _TRADITIONAL.split() if pair[0] != pair[1]]

# Full-width digits and symbols, and look-alikes, to their ASCII forms.
_WIDTH = (
    "０１２３４５６７８９％＝﹦＞＜≧≦．－～＊×／　，；;：（）＋﹢﹣－—～〜‰−",
    "0123456789%==><≥≤.-~**/ ，；；:()++--—~~‰-",
)

_TABLE = str.maketrans(
    _WIDTH[0] + "".join(p[0] for p in _PAIRS),
    _WIDTH[1] + "".join(p[1] for p in _PAIRS),
)
# Any character the table changes.  Most texts have none: one search (C speed) is
# far cheaper than translate's per-character lookups, and the answer is the same.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")


def fold(text: str) -> str:
    """Fold full-width, look-alike and traditional characters, one for one."""
    if _FOLDABLE.search(text) is None:
        return text
    return text.translate(_TABLE)
