package tip

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// ZoneError is what LoadZone returns for a name that is not a zone: the name as given, clipped,
// and up to three zones spelled like it, best first, for the reply to offer.
type ZoneError struct {
	Name        string
	Suggestions []string
}

func (e *ZoneError) Error() string {
	if len(e.Suggestions) == 0 {
		return fmt.Sprintf("tip: unknown time zone %q", e.Name)
	}
	return fmt.Sprintf("tip: unknown time zone %q (did you mean %s?)", e.Name, strings.Join(e.Suggestions, ", "))
}

// maxZoneName bounds the work a typed zone name can cost: no zone name is longer.
const maxZoneName = 40

var (
	zonesOnce sync.Once
	byLower   map[string]string   // lowercase name -> name
	byCity    map[string][]string // lowercase last part ("shanghai") -> names
	loaded    sync.Map            // name -> *time.Location
)

func indexZones() {
	byLower = make(map[string]string, len(zoneNames))
	byCity = map[string][]string{}
	for _, n := range zoneNames {
		l := strings.ToLower(n)
		byLower[l] = n
		city := l[strings.LastIndexByte(l, '/')+1:]
		byCity[city] = append(byCity[city], n)
	}
}

// Zones lists every zone name the bot accepts, sorted. Go cannot list the zones it knows, so the
// list is generated from Go's own zone database (go generate) and a test keeps it in sync.
func Zones() []string { return slices.Clone(zoneNames) }

// LoadZone returns the zone named name, matched case-insensitively ("asia/shanghai"), with spaces
// read as underscores ("America/New York"); a city alone ("Shanghai") is enough when only one
// zone is called that. Any other name gives a *ZoneError with close spellings ("asia/shangai"
// suggests Asia/Shanghai). The location's String is the zone's canonical spelling.
func LoadZone(name string) (*time.Location, error) {
	zonesOnce.Do(indexZones)
	key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", "_"))
	if len([]rune(key)) > maxZoneName {
		return nil, &ZoneError{Name: string([]rune(strings.TrimSpace(name))[:maxZoneName]) + "…"}
	}
	canon, ok := byLower[key]
	if !ok && key == "utc" {
		canon, ok = "UTC", true
	}
	if !ok {
		if names := byCity[key]; len(names) == 1 {
			canon, ok = names[0], true
		}
	}
	if !ok {
		return nil, &ZoneError{Name: strings.TrimSpace(name), Suggestions: suggestZones(key)}
	}
	if loc, ok := loaded.Load(canon); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(canon)
	if err != nil {
		// Listed but missing from this system's zone database: say so as for an unknown name.
		return nil, &ZoneError{Name: canon}
	}
	loaded.Store(canon, loc) // bounded by the list
	return loc, nil
}

// suggestZones returns up to three zones within a few edits of key, as a whole name or by its
// city, nearest first.
func suggestZones(key string) []string {
	if key == "" {
		return nil
	}
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	city := key[strings.LastIndexByte(key, '/')+1:]
	allow := max(1, min(3, len([]rune(key))/4))
	allowCity := max(1, min(2, len([]rune(city))/4))
	for _, n := range zoneNames {
		l := strings.ToLower(n)
		d := distance(key, l, allow)
		if c := l[strings.LastIndexByte(l, '/')+1:]; len(city) >= 4 {
			if dc := distance(city, c, allowCity); dc <= allowCity && dc+1 < d {
				d = dc + 1 // a right city in a wrong area counts a little less
			}
		}
		if d <= allow {
			cs = append(cs, cand{n, d})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	var out []string
	for _, c := range cs {
		if len(out) == 3 || c.d > cs[0].d+1 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// distance is the optimal-string-alignment edit distance of a and b (a swap of two neighbours
// counts one edit), or limit+1 when it exceeds limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}
