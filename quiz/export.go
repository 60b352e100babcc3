package quiz

import "github.com/pybrarian/pybrarian/content"

// Exported is a card as reviewers read it (`bot cards`): the question and choices exactly as the chat
// shows them, without "I don't know", and the index of the right choice.
type Exported struct {
	ID    string `json:"id"`
	Kind  Kind   `json:"kind"`
	Entry string `json:"entry"` // id of the entry the card is about
	Name  string `json:"name"`  // that entry's display name
	// Fact is the stable key of the fact the card tests (Card.Fact): cards sharing it ask one thing.
	Fact        string         `json:"fact"`
	Topics      []string       `json:"topics"`
	Question    content.Text   `json:"question"`
	Choices     []content.Text `json:"choices"`
	Answer      int            `json:"answer"` // 0-based index into Choices
	Explanation content.Text   `json:"explanation"`
}

// reviewer is the learner whose choice order the export shows: any fixed name gives a stable order.
const reviewer = "review"

// Export returns every card in generation order, its choices in the order a fixed learner sees them
// (true/false cards keep True first).
func (b *Bank) Export() []Exported {
	out := make([]Exported, len(b.cards))
	for i, c := range b.cards {
		name := c.Entry
		if e, ok := b.kb.Entry(c.Entry); ok {
			name = e.Name
		}
		ch, answer := order(c, reviewer, "", 0)
		out[i] = Exported{
			ID: c.ID, Kind: c.Kind, Entry: c.Entry, Name: name, Fact: c.Fact, Topics: c.Topics,
			Question: c.Prompt, Choices: ch, Answer: answer, Explanation: c.Explain,
		}
	}
	return out
}
