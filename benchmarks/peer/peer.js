// The Node peer: read the 指标填报 sheet with exceljs, compute completion per row, render the
// rows into a Word table with docxtemplater, write the .docx.
//   node peer.js WORKBOOK TEMPLATE.docx OUT.docx
"use strict";
const fs = require("fs");
const ExcelJS = require("exceljs");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");

const COLUMNS = ["指标编号", "指标名称", "单位", "属性", "基期值", "本年目标", "规划目标", "完成值"];

function pct(value) {
  return value === null ? "—" : (value * 100).toFixed(1) + "%";
}

async function readRows(path) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheet = book.getWorksheet("指标填报");
  const header = sheet.getRow(1).values;
  const at = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)]));
  const rows = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cell = (name) => row.getCell(at[name]).value;
    const target = Number(cell("本年目标"));
    const actual = cell("完成值");
    const done = actual === null || actual === "" ? null : Number(actual) / target;
    rows.push({
      id: String(cell("指标编号")),
      name: String(cell("指标名称")),
      unit: String(cell("单位") ?? ""),
      attribute: String(cell("属性") ?? ""),
      baseline: String(cell("基期值") ?? ""),
      target: String(target),
      final: String(cell("规划目标") ?? ""),
      actual: actual === null ? "—" : String(actual),
      completion: pct(done),
      status: done === null ? "未填报" : done >= 1 ? "已完成" : "进度正常",
    });
  });
  return rows;
}

async function main([workbook, template, out]) {
  const rows = await readRows(workbook);
  const doc = new Docxtemplater(new PizZip(fs.readFileSync(template)), {
    paragraphLoop: true,
    linebreaks: true,
  });
  doc.render({ title: "进展报告", rows });
  fs.writeFileSync(out, doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" }));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});
