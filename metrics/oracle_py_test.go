package metrics

// A literal Go transcription of the authors' Python (utils_main.py: rearrange_one_line,
// match_emotion_key_DFEW/MAFW, count_emotion_DFEW/MAFW; the main script's print_results; the
// consistency script's quarter table), used as the oracle. Python exceptions are Go panics
// caught where the Python has `except:`; a reference to a variable the Python has not bound yet
// is reported as a crash.
//
// Where the released ERV code (the predecessor repository) and docs/reference.md disagree, the oracle
// follows docs/reference.md, which states the MIGR protocol and is emoeval's specification
// (docs/protocol.md lists the differences). Nowhere else does it depart from the Python:
//   - Rule 2 of the answer extraction (a record with <|im_end|> and no <answer>) is the text
//     between the first '|' and <|im_end|>; see pyRule2.
//   - An unknown answer is in its own true class's support and its own row's unknown column
//     (docs/reference.md §2). The released count_emotion_MAFW looks the label up and counts the
//     support only after the answer matched, so an unknown answer was in no class's support and
//     its unknown cell went to the row of the previous record whose answer matched;
//     pyCountEmotionMAFW counts the support before matching, as count_emotion_DFEW does.
//   - A record whose clip has no label (outside the split) is booked in no row. Both released
//     functions book it in the row of the last label looked up (emotion_gt_id left over from an
//     earlier record); here emotion_gt_id is reset for every record.

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/eval/parse"
)

type pyException string

// pyCrash is an exception the Python does not catch: the script stops.
type pyCrash string

func (c pyCrash) Error() string { return string(c) }

func pyIndex(list []string, i int) string {
	if i >= len(list) {
		panic(pyException("IndexError: list index out of range"))
	}
	return list[i]
}

func pyLowerStr(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// pyReadlines is f.readlines() on a file opened in text mode: universal newlines, each line
// keeping its "\n".
func pyReadlines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var lines []string
	for text != "" {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// pyRearrangeOneLine is rearrange_one_line.
func pyRearrangeOneLine(text string) []string {
	var totalLines []string
	currentLine := ""
	for _, line := range pyReadlines(text) {
		if parse.PyStrip(line) != "" && parse.IsPyDigits(strings.Split(line, "|")[0]) {
			if currentLine != "" {
				totalLines = append(totalLines, parse.PyStrip(currentLine))
			}
			currentLine = parse.PyStrip(line)
		} else {
			currentLine += " " + parse.PyStrip(line)
		}
	}
	if currentLine != "" {
		totalLines = append(totalLines, parse.PyStrip(currentLine))
	}
	return totalLines
}

func pyMatchEmotionKeyDFEW(emotionPred string) string {
	emotionPred = pyLowerStr(emotionPred)
	emotionPred = strings.ReplaceAll(emotionPred, "\n", "")
	if emotionPred == "sadness" {
		emotionPred = "sad"
	} else if strings.Contains(emotionPred, "happiness") {
		emotionPred = "happy"
	} else if strings.Contains(emotionPred, "anger") {
		emotionPred = "angry"
	}
	switch emotionPred {
	case "happy", "sad", "angry", "neutral", "fear", "disgust", "surprise":
		return emotionPred
	}
	panic(pyException("ValueError: Invalid emotion label: " + emotionPred))
}

func pyMatchEmotionKeyMAFW(emotionPred string) string {
	emotionPred = pyLowerStr(emotionPred)
	emotionPred = strings.ReplaceAll(emotionPred, "\n", "")
	if emotionPred == "angry" {
		emotionPred = "anger"
	} else if emotionPred == "sad" {
		emotionPred = "sadness"
	} else if emotionPred == "anxious" {
		emotionPred = "anxiety"
	} else if emotionPred == "helpless" {
		emotionPred = "helplessness"
	} else if emotionPred == "disappointed" {
		emotionPred = "disappointment"
	} else if strings.Contains(emotionPred, "happy") {
		emotionPred = "happiness"
	} else if strings.Contains(emotionPred, "contemptuous") {
		emotionPred = "contempt"
	}
	switch emotionPred {
	case "anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise", "contempt", "anxiety", "helplessness", "disappointment":
		return emotionPred
	}
	panic(pyException("ValueError: Invalid emotion label: " + emotionPred))
}

// pyRule2 is the answer of a record with <|im_end|> and no <answer>, as docs/reference.md reads it:
// line[line.index('|')+1:].split('<|im_end|>')[0].strip(). (The released lines,
// line.split('|')[1].split('<|im_end|>')[0] for DFEW and line.split('|')[1].split('<')[0] for
// MAFW, cut at the '|' inside "<|im_end|>" itself.)
func pyRule2(line string) string {
	i := strings.Index(line, "|")
	if i < 0 {
		panic(pyException("ValueError: substring not found"))
	}
	return parse.PyStrip(strings.Split(line[i+1:], "<|im_end|>")[0])
}

func pyLookup(labels map[string]int, key string) int {
	v, ok := labels[key]
	if !ok {
		panic(pyException("KeyError: " + key))
	}
	return v
}

type pyCounts struct {
	emotionCount [][2]int // [correct, total] per class
	correct      int
	unknown      int
	countIdx     int
	unknownList  []string
	confusion    [][]int
}

func newPyCounts(k int) *pyCounts {
	c := &pyCounts{emotionCount: make([][2]int, k), confusion: make([][]int, k)}
	for i := range c.confusion {
		c.confusion[i] = make([]int, k+1)
	}
	return c
}

// pyTry runs body; a Python exception runs except (which may itself crash); a crash propagates.
func pyTry(body func(), except func()) {
	caught := false
	func() {
		defer func() {
			if p := recover(); p != nil {
				if _, ok := p.(pyException); !ok {
					panic(p)
				}
				caught = true
			}
		}()
		body()
	}()
	if caught {
		except()
	}
}

// pyCountEmotionDFEW is count_emotion_DFEW (labels: clip id → label id).
func pyCountEmotionDFEW(emotionDict map[string]int, totalLines []string, labels map[string]int) (c *pyCounts, err error) {
	defer pyRecoverCrash(&err)
	c = newPyCounts(len(emotionDict))
	var emotionPred *string
	idx := -1
	for i, line := range totalLines {
		idx = i
		var emotionGtID *int // departure: reset for every record (see the file comment)
		pyTry(func() {
			fname := strings.Split(line, "|")[0]
			var pred string
			if strings.Contains(line, "<answer>") {
				if !strings.Contains(line, "</answer>") {
					// re.search(r'<answer>(.*?)$', line): the record holds no "\n", so to the end.
					pred = parse.PyStrip(line[strings.Index(line, "<answer>")+len("<answer>"):])
				} else {
					pred = parse.PyStrip(strings.Split(pyIndex(strings.Split(line, "<answer>"), 1), "</answer>")[0])
				}
			} else if strings.Contains(line, "<|im_end|>") {
				pred = pyRule2(line)
			} else {
				pred = parse.PyStrip(pyIndex(strings.Split(line, "|"), 1))
			}
			emotionPred = &pred
			gt := pyLookup(labels, fname)
			emotionGtID = &gt
			c.emotionCount[gt-1][1]++
			matched := pyMatchEmotionKeyDFEW(pred)
			emotionPred = &matched
			predID := emotionDict[matched]
			c.confusion[gt-1][predID-1]++
			if predID == gt {
				c.correct++
				c.emotionCount[predID-1][0]++
			}
		}, func() {
			c.unknown++
			if emotionPred == nil {
				panic(pyCrash("NameError: name 'emotion_pred' is not defined"))
			}
			c.unknownList = append(c.unknownList, *emotionPred)
			if emotionGtID != nil { // departure: released code books a stale emotion_gt_id
				c.confusion[*emotionGtID-1][len(emotionDict)]++
			}
		})
	}
	if idx < 0 {
		return nil, pyCrash("UnboundLocalError: idx")
	}
	c.countIdx = idx
	return c, nil
}

// pyCountEmotionMAFW is count_emotion_MAFW with check_multi_emotion False (single labels), with
// the label looked up and the support counted before the answer is matched (see the file comment).
func pyCountEmotionMAFW(emotionDict map[string]int, totalLines []string, labels map[string]int) (c *pyCounts, err error) {
	defer pyRecoverCrash(&err)
	c = newPyCounts(len(emotionDict))
	var emotionPred *string
	idx := -1
	for i, line := range totalLines {
		idx = i
		// Departure: reset for every record (see the file comment).
		var emotionGtID *int
		var tmpMultiEmotionGtList []int
		pyTry(func() {
			fname := strings.Split(line, "|")[0]
			var pred string
			if strings.Contains(line, "<answer>") {
				pred = parse.PyStrip(strings.Split(pyIndex(strings.Split(line, "<answer>"), 1), "</answer>")[0])
			} else if strings.Contains(line, "<|im_end|>") {
				pred = pyRule2(line)
			} else {
				pred = parse.PyStrip(pyIndex(strings.Split(line, "|"), 1))
			}
			emotionPred = &pred
			// Departure: the released code matches the answer here, before the lookup.
			gt := pyLookup(labels, fname)
			emotionGtID = &gt
			tmpMultiEmotionGtList = []int{gt}
			if len(tmpMultiEmotionGtList) > 1 {
				panic("multi-label clips are not generated")
			}
			c.emotionCount[gt-1][1]++
			matched := pyMatchEmotionKeyMAFW(pred)
			emotionPred = &matched
			predID := emotionDict[matched]
			c.confusion[gt-1][predID-1]++
			if predID == gt {
				c.correct++
				c.emotionCount[predID-1][0]++
			}
		}, func() {
			c.unknown++
			if emotionPred == nil {
				panic(pyCrash("NameError: name 'emotion_pred' is not defined"))
			}
			c.unknownList = append(c.unknownList, *emotionPred)
			if len(tmpMultiEmotionGtList) == 1 { // departure: nil (no row) when the lookup failed
				c.confusion[*emotionGtID-1][len(emotionDict)]++
			}
		})
	}
	if idx < 0 {
		return nil, pyCrash("UnboundLocalError: idx")
	}
	c.countIdx = idx
	return c, nil
}

func pyRecoverCrash(err *error) {
	if p := recover(); p != nil {
		c, ok := p.(pyCrash)
		if !ok {
			panic(p)
		}
		*err = c
	}
}

// pyPrintResults is print_results for single-label data: the lines that carry numbers.
func pyPrintResults(c *pyCounts, emotionLabels []string) []string {
	lines := []string{fmt.Sprintf("Total Unknown Count: %d", len(c.unknownList))}
	var uar []float64
	for i, r := range c.emotionCount {
		if r[1] == 0 {
			lines = append(lines, fmt.Sprintf("%s:: %.3f || %d/%d ", emotionLabels[i], float64(r[0]*100)/float64(r[1]+1), r[0], r[1]))
			uar = append(uar, 0)
		} else {
			lines = append(lines, fmt.Sprintf("%s:: %.3f || %d/%d ", emotionLabels[i], float64(r[0]*100)/float64(r[1]), r[0], r[1]))
			uar = append(uar, float64(r[0])/float64(r[1])*100)
		}
	}
	sum := 0.0
	for _, x := range uar {
		sum += x
	}
	lines = append(lines,
		fmt.Sprintf("WAR: %.3f %d %d", float64(c.correct)/float64(c.countIdx+1)*100, c.correct, c.countIdx+1),
		fmt.Sprintf("UAR: %.3f", sum/float64(len(uar))))
	for i, row := range c.confusion {
		lines = append(lines, fmt.Sprintf("%s %v", emotionLabels[i], row))
	}
	return lines
}

// pyQuarterTable is the consistency script: its printed lines, in order.
func pyQuarterTable(dataset string, lines []string, gptDict map[string]string, labels map[string]int, reverseEmotionDict map[int]string) []string {
	match := pyMatchEmotionKeyDFEW
	if dataset == "mafw" {
		match = pyMatchEmotionKeyMAFW
	}
	quarterTable := map[string]int{}
	var order []string
	bump := func(key string) {
		if _, ok := quarterTable[key]; !ok {
			order = append(order, key)
		}
		quarterTable[key]++
	}
	unknown := 0
	for _, line := range lines {
		sampleID := strings.Split(line, "|")[0]
		pyTry(func() {
			seg := pyIndex(strings.Split(line, "|"), 1)
			r1Result := parse.PyStrip(strings.Split(pyIndex(strings.Split(seg, "<answer>"), 1), "</answer>")[0])
			r1Result = match(r1Result)
			reply, ok := gptDict[sampleID]
			if !ok {
				panic(pyException("KeyError: " + sampleID))
			}
			gptResult := match(reply)
			emotionGt := reverseEmotionDict[pyLookup(labels, sampleID)]
			r1TF, gptTF := "False", "False"
			if r1Result == emotionGt {
				r1TF = "True"
			}
			if gptResult == emotionGt {
				gptTF = "True"
			}
			if r1Result == gptResult {
				bump("Explanation-Consistency")
			}
			bump(fmt.Sprintf("R1-%s/GPT-%s", r1TF, gptTF))
		}, func() {
			unknown++
			bump("R1-False/GPT-False")
		})
	}
	totalNum := 0
	for k, v := range quarterTable {
		if k != "Explanation-Consistency" {
			totalNum += v
		}
	}
	out := []string{fmt.Sprintf("Unknown samples: %d", unknown)}
	for _, k := range order {
		out = append(out, fmt.Sprintf("%s: %.2f%%", k, float64(quarterTable[k])/float64(totalNum)*100))
	}
	return out
}
