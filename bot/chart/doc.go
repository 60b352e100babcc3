// Package chart draws a learner's progress and a group's leaderboard as PNG pictures sized for a
// phone screen, in English or Chinese.
//
// Rendering is a pure function of the plain values passed in: the package reads no store and no
// clock, and keeps no state besides the fonts a Renderer parses once. The core decides when to draw
// and caches the bytes.
package chart
