#!/usr/bin/env python3
"""The MIGR/ERV authors' answer-extraction rules, as released (docs/reference.md §2), in Python.

emoeval's Go tests compare their parse of the id-pipe files in this folder with what these rules
give, so the expected values come from the authors' own code rather than from emoeval's. Run it to
regenerate the *.ref.json files (no third-party modules needed):

    python3 authors_ref.py differential        # writes differential.txt (random messy records)
    python3 authors_ref.py ref FILE.txt ...    # writes FILE.ref.json for each file
    python3 authors_ref.py score LABELS.csv RESULTS.txt JUDGE.json   # WAR, UAR, quarter table

rearrange_one_line, the DFEW/MAFW label rules and the consistency script's extraction are the
authors' code; the <|im_end|> rule follows docs/reference.md ("the text between the first | and
<|im_end|>"), and the judge reason its "first <think> to the next </think>, empty when either is
missing".
"""
import json
import random
import re
import sys

DFEW = ["happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"]
MAFW = ["anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise",
        "contempt", "anxiety", "helplessness", "disappointment"]


def rearrange_one_line(path):
    lines = open(path, encoding='utf-8').readlines()
    total_lines = []
    current_line = ""
    for line in lines:
        if line.strip() and line.split('|')[0].isdigit():
            if current_line:
                total_lines.append(current_line.strip())
            current_line = line.strip()
        else:
            current_line += " " + line.strip()
    if current_line:
        total_lines.append(current_line.strip())
    return total_lines


def match_emotion_key_DFEW(s):
    s = s.lower().replace('\n', '')
    if s == 'sadness':
        s = 'sad'
    elif 'happiness' in s:
        s = 'happy'
    elif 'anger' in s:
        s = 'angry'
    return s if s in DFEW else 'unknown'


def match_emotion_key_MAFW(s):
    s = s.lower().replace('\n', '')
    if s == 'angry':
        s = 'anger'
    elif s == 'sad':
        s = 'sadness'
    elif s == 'anxious':
        s = 'anxiety'
    elif s == 'helpless':
        s = 'helplessness'
    elif s == 'disappointed':
        s = 'disappointment'
    elif 'happy' in s:
        s = 'happiness'
    elif 'contemptuous' in s:
        s = 'contempt'
    return s if s in MAFW else 'unknown'


def recognition_answer(line):
    """count_emotion_DFEW's answer for one record."""
    if '<answer>' in line:
        if '</answer>' not in line:
            return re.search(r'<answer>(.*?)$', line).group(1).strip()
        return line.split('<answer>')[1].split('</answer>')[0].strip()
    elif '<|im_end|>' in line:
        return line[line.index('|') + 1:].split('<|im_end|>')[0].strip()
    return line.split('|')[1].strip()


def quarter_answer(line):
    """The consistency script's answer, or None where it raises (the sample goes to FF)."""
    try:
        return line.split('|')[1].split('<answer>')[1].split('</answer>')[0].strip()
    except IndexError:
        return None


def reason(line):
    seg = line.split('|')[1]
    if '<think>' not in seg:
        return ''
    rest = seg.split('<think>', 1)[1]
    if '</think>' not in rest:
        return ''
    return rest.split('</think>', 1)[0].strip()


def ref(path):
    out = []
    for rec in rearrange_one_line(path):
        raw = rec.split('|', 1)[1] if '|' in rec else ''
        row = {"id": rec.split('|')[0], "raw": raw}
        if '|' in rec:
            a = recognition_answer(rec)
            q = quarter_answer(rec)
            row.update({
                "answer": a,
                "reason": reason(rec),
                "dfew": match_emotion_key_DFEW(a),
                "mafw": match_emotion_key_MAFW(a),
                "quarter_dfew": 'unknown' if q is None else match_emotion_key_DFEW(q),
                "quarter_mafw": 'unknown' if q is None else match_emotion_key_MAFW(q),
            })
        out.append(row)
    with open(path[:-len('.txt')] + '.ref.json', 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write('\n')


# Pieces of messy outputs: tags (some broken), label words and synonyms in any case, pipes,
# whitespace of every kind Python strips, line ends of every kind, digits that may start records.
PIECES = ["<think>", "</think>", "<answer>", "</answer>", "<vis_desc>", "</vis_desc>",
          "<aud_desc>", "</aud_desc>", "<|im_end|>", "<answer", "answer>", "|", "||",
          "happy", "Happiness", "sadness", "SAD", "anger", "Angry", "neutral", "surprise",
          "disgust", "fear", "contemptuous", "anxious", "helpless", "disappointed", "calm",
          " ", "  ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000",
          "\n", "\n", "\r\n", "\r", "\n\n", "12|", "007|", "5", "\u0663|", "\u00b2|", " 9|",
          "The person frowns.", "voice trembles", "İ", "émotion", "😀"]


WORDS = ["happy", "Happy", "happiness", "sad", "Sadness", "sadness.", "neutral", "angry", "Anger",
         "surprise", "surprised", "disgust", "fear", "fearful", "contempt", "anxiety", "anxious",
         "helpless", "disappointed", "contemptuous", "calm", "happy and sad", "not angry"]


def realistic(rnd):
    """An R1-Omni or MIGR style output with some of the faults real outputs have."""
    nl = rnd.choice(["\n", "\r\n", "\r", " ", "\n\n", "\n  "])
    think = rnd.choice(["The man frowns and his voice is loud.", "She smiles | laughs.",
                        "Tears run down.\nHer voice trembles.", ""])
    parts = []
    if rnd.random() < 0.5:
        vis = "<vis_desc>" + rnd.choice(["Eyebrows raised.", "Smile,\nbright eyes."]) + "</vis_desc>"
        aud = "<aud_desc>" + rnd.choice(["Shouting.", "Soft voice."]) + "</aud_desc>"
        parts += [vis, aud] if rnd.random() < 0.5 else [aud, vis]
    parts.append("<think>" + think + rnd.choice(["</think>", "</think>", ""]))
    for _ in range(rnd.choice([1, 1, 1, 2, 0])):
        parts.append(rnd.choice(["<answer>", "<answer> ", "<answer>\n"]) + rnd.choice(WORDS) +
                     rnd.choice(["</answer>", "</answer>", " </answer>", ""]))
    if rnd.random() < 0.3:
        parts.append(rnd.choice(WORDS) if rnd.random() < 0.3 else "")
        parts.append("<|im_end|>")
    return nl.join(parts)


def differential(seed=20251202, n=400):
    rnd = random.Random(seed)
    with open('differential.txt', 'w', encoding='utf-8', newline='') as f:
        for i in range(1, n + 1):
            if rnd.random() < 0.6:
                body = realistic(rnd)
            else:
                body = ''.join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
            ends = rnd.choice(["\n", "\r\n", "\r"])
            f.write(f"{i}|{body}{ends}")


def score(labels_csv, results, judge_json):
    """The authors' two scripts end to end on one DFEW fold: the recognition script's WAR and UAR
    and the consistency script's quarter table, printed with their digits. It is the reference
    emoeval's score benchmark measures itself against (pipeline BenchmarkScoreVsAuthors)."""
    label = {}
    for line in open(labels_csv, encoding='utf-8').readlines()[1:]:
        vid, lab = line.strip().split(',')
        label[vid] = DFEW[int(lab) - 1]
    lines = rearrange_one_line(results)
    correct, support = {e: 0 for e in DFEW}, {e: 0 for e in DFEW}
    right = 0
    for line in lines:
        vid = line.split('|')[0]
        gt = label[vid]
        support[gt] += 1
        if match_emotion_key_DFEW(recognition_answer(line)) == gt:
            correct[gt] += 1
            right += 1
    war = right / len(lines) * 100
    uar = sum(correct[e] / support[e] * 100 if support[e] else 0 for e in DFEW) / len(DFEW)
    replies = {}
    for d in json.load(open(judge_json, encoding='utf-8')):
        for k, v in d.items():
            replies[k] = v['gpt_response']
    cells = {'TT': 0, 'TF': 0, 'FT': 0, 'FF': 0}
    for line in lines:
        vid = line.split('|')[0]
        gt = label[vid]
        q = quarter_answer(line)
        if q is None or vid not in replies:
            cells['FF'] += 1
            continue
        pred, expl = match_emotion_key_DFEW(q), match_emotion_key_DFEW(replies[vid])
        if pred == 'unknown' or expl == 'unknown':  # their label lookup raises: FF
            cells['FF'] += 1
            continue
        cells[('T' if pred == gt else 'F') + ('T' if expl == gt else 'F')] += 1
    print('WAR %.3f UAR %.3f' % (war, uar))
    print(' '.join('%s %.2f%%' % (k, v * 100 / len(lines)) for k, v in cells.items()))


if __name__ == '__main__':
    if sys.argv[1] == 'differential':
        differential()
    elif sys.argv[1] == 'score':
        score(*sys.argv[2:5])
    else:
        for p in sys.argv[2:]:
            ref(p)
