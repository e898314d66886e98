// SYNTAX TEST "source.js" "fitcheck directives in JavaScript comments"

// The rule codes in a line directive, with the list punctuation
probs = softmax(x)  // fitcheck: ignore[FC101, FC2]
//                     ^^^^^^^^ comment.line.double-slash.js meta.directive.fitcheck keyword.control.directive.fitcheck
//                             ^ meta.directive.fitcheck punctuation.separator.key-value.fitcheck
//                               ^^^^^^ meta.directive.fitcheck keyword.other.ignore.fitcheck
//                                     ^ comment.line.double-slash.js meta.directive.fitcheck punctuation.definition.list.begin.fitcheck
//                                      ^^^^^ comment.line.double-slash.js meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
//                                           ^ meta.directive.fitcheck meta.rule-codes.fitcheck punctuation.separator.comma.fitcheck
//                                             ^^^ meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
//                                                ^ meta.directive.fitcheck punctuation.definition.list.end.fitcheck
// A file directive
// fitcheck: ignore-file[FC401]
// ^^^^^^^^ comment.line.double-slash.js meta.directive.fitcheck keyword.control.directive.fitcheck
//           ^^^^^^^^^^^ meta.directive.fitcheck keyword.other.ignore-file.fitcheck
//                       ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
// A bare directive silences every rule on the line
loss.backward()  // fitcheck: ignore
//                  ^^^^^^^^ comment.line.double-slash.js meta.directive.fitcheck keyword.control.directive.fitcheck
//                            ^^^^^^ meta.directive.fitcheck keyword.other.ignore.fitcheck
// Lower-case codes work (the linter upper-cases them); other codes are marked invalid
// fitcheck:ignore[fc301, E501]
// ^^^^^^^^ keyword.control.directive.fitcheck
//                 ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
//                        ^^^^ meta.directive.fitcheck meta.rule-codes.fitcheck invalid.illegal.rule-code.fitcheck
// Text around the directive stays a plain comment
// TODO: tidy up; fitcheck: ignore[FC504] until then
//       ^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
//                                 ^^^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
//                                        ^^^^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
// A space before the list makes it a bare ignore, as the linter reads it
// fitcheck: ignore [FC101]
//           ^^^^^^ keyword.other.ignore.fitcheck
//                  ^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
// ignore-files is not a directive keyword: only "ignore" counts, as in the linter
// fitcheck: ignore-files[FC101]
//           ^^^^^^ keyword.other.ignore.fitcheck
//                 ^^^^^^^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
// An unclosed list is not highlighted, and does not run into the next line
// fitcheck: ignore[FC101
//           ^^^^^^ keyword.other.ignore.fitcheck
//                 ^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
total = total + loss
// <----- - comment.line.double-slash.js meta.directive.fitcheck
//              ^^^^ - comment.line.double-slash.js meta.directive.fitcheck
// Other words after "fitcheck" are not directives
// fitcheck: ignored by nobody, fitcheck rules
// ^^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
//           ^^^^^^^ comment.line.double-slash.js - meta.directive.fitcheck
// Block comments, on one line and across lines, and documentation comments
const probs = softmax(x); /* fitcheck: ignore[FC101] */
//                           ^^^^^^^^ comment.block.js meta.directive.fitcheck keyword.control.directive.fitcheck
//                                            ^^^^^ comment.block.js meta.directive.fitcheck meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
//                                                   ^^ comment.block.js - meta.directive.fitcheck
/*
 * fitcheck: ignore-file[FC401, FC3]
// ^^^^^^^^ comment.block.js meta.directive.fitcheck keyword.control.directive.fitcheck
//           ^^^^^^^^^^^ comment.block.js meta.directive.fitcheck keyword.other.ignore-file.fitcheck
//                              ^^^ meta.rule-codes.fitcheck constant.other.rule-code.fitcheck
 */
/** fitcheck: ignore */
//  ^^^^^^^^ comment.block.documentation.js meta.directive.fitcheck keyword.control.directive.fitcheck
//            ^^^^^^ comment.block.documentation.js meta.directive.fitcheck keyword.other.ignore.fitcheck
// Directive-like text in strings is not a comment, so it is not highlighted
const note = "fitcheck: ignore-file[FC101]";
//            ^^^^^^^^ string.quoted.double.js - comment.line.double-slash.js meta.directive.fitcheck
//                                  ^^^^^ string.quoted.double.js - meta.directive.fitcheck
const url = 'http://example.test/fitcheck: ignore';
//                               ^^^^^^^^ string.quoted.single.js - comment.line.double-slash.js meta.directive.fitcheck
